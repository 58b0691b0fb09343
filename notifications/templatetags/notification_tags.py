from django import template

from notifications.unread import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The signed-in person's unread notifications, for the badge in the header."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
