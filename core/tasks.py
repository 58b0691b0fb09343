import logging

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

logger = logging.getLogger(__name__)


@task
def send_email(
    *, subject: str, body: str, to: list[str], html: str = "", from_email: str | None = None
) -> None:
    """Send one email. Runs in the worker; an SMTP error fails the task so it is logged and kept."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    logger.info("Sent email %r to %d recipient(s)", subject, len(to))
