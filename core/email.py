"""Emails are rendered in the request, in the recipient's language, and sent by a task."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.tasks import send_email


def enqueue_email_message(message: EmailMessage) -> None:
    """Hand a rendered message to the task queue once the surrounding transaction commits."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
    kwargs = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "html": html,
        "from_email": message.from_email,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def send_templated_email(*, template_prefix: str, to: str, context: dict, language: str) -> None:
    """Render `<prefix>_subject.txt`, `_message.txt` and `_message.html` and send them."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
        html = render_to_string(f"{template_prefix}_message.html", context)
    message = EmailMultiAlternatives(subject=f"[Tillsammans] {subject}", body=body, to=[to])
    message.attach_alternative(html, "text/html")
    enqueue_email_message(message)
