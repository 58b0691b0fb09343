from django import forms

from notifications.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["own_content", "followed"]
        widgets = {"own_content": forms.RadioSelect, "followed": forms.RadioSelect}
