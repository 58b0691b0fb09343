from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from core.email import enqueue_email_message, site_context


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails go through the task queue like every other email, and name the site
        as every other email does (allauth's own send_mail would add `current_site`)."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        context = {**context, **site_context()}
        with translation.override(language or settings.LANGUAGE_CODE):
            message = self.render_mail(template_prefix, email, context)
        enqueue_email_message(message)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user
