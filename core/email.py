"""Emails are rendered in the request, in the recipient's language, and sent by a task."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.tasks import send_email


@dataclass(frozen=True)
class Site:
    """The site as emails name it. allauth's templates greet from `current_site.name` and give
    `current_site.domain`; without django.contrib.sites both come from the settings."""

    name: str
    domain: str


def site_context() -> dict:
    """What every email's templates need to name the site and link to it."""
    return {
        "site_name": settings.SITE_NAME,
        "city_name": settings.CITY_NAME,
        "site_url": settings.SITE_URL,
        "current_site": Site(settings.SITE_NAME, urlsplit(settings.SITE_URL).netloc),
    }


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
    context = {**context, **site_context()}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
        html = render_to_string(f"{template_prefix}_message.html", context)
    message = EmailMultiAlternatives(subject=f"[Tillsammans] {subject}", body=body, to=[to])
    message.attach_alternative(html, "text/html")
    enqueue_email_message(message)
