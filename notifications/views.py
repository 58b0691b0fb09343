from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from notifications import actions
from notifications.forms import NotificationSettingsForm
from notifications.models import Frequency, Notification, NotificationSettings
from notifications.tokens import read_token

PER_PAGE = 20
UNSUBSCRIBE_WHAT = {
    "own_content": gettext_lazy("emails about your own initiatives and comments"),
    "followed": gettext_lazy("emails about initiatives you follow"),
    "all": gettext_lazy("notification emails"),
}


@login_required
@require_GET
def notification_list(request):
    notifications = Notification.objects.for_centre().filter(recipient=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("sida"))
    unread_count = notifications.unread().count()
    partial = request.htmx and not request.htmx.boosted
    template = "notifications/list.html#centre" if partial else "notifications/list.html"
    return render(request, template, {"page": page, "unread_count": unread_count})


@require_GET
def badge(request):
    """The badge alone, fetched again after the live socket reconnects."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/_badge.html")


@login_required
@require_GET
def open_notification(request, pk):
    notification = get_object_or_404(
        Notification.objects.select_related("initiative"), pk=pk, recipient=request.user
    )
    actions.mark_read(user=request.user, notification=notification)
    return redirect(notification.target_url())


@login_required
@require_POST
def read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    actions.mark_read(user=request.user, notification=notification)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    actions.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationSettingsForm(
        request.POST or None, instance=NotificationSettings.for_user(request.user)
    )
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your email settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


# The signed token is the authorisation, and mail clients post here without a CSRF token
# (RFC 8058 one-click unsubscribe).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_pk, category = read_token(token)
        user = User.objects.get(pk=user_pk, deleted_at=None)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    done = request.method == "POST"
    if done:
        fields = ["own_content", "followed"] if category == "all" else [category]
        actions.set_preferences(user=user, **dict.fromkeys(fields, Frequency.NONE))
    context = {"category_text": UNSUBSCRIBE_WHAT[category], "done": done, "token": token}
    return render(request, "notifications/unsubscribe.html", context)
