from django.urls import path
from django.views.generic import RedirectView

from partners import views

app_name = "partners"

urlpatterns = [
    # The partner directory's organisation tab is the organisation directory itself.
    path(
        "samarbeten/",
        RedirectView.as_view(
            pattern_name="accounts:organisations", permanent=True, query_string=True
        ),
        name="directory",
    ),
    path("samarbeten/initiativ/", views.directory_initiatives, name="directory_initiatives"),
    path("samarbeten/erbjudanden/<int:pk>/", views.offer_detail, name="offer"),
    path("samarbeten/erbjudanden/<int:pk>/svar/", views.offer_answer, name="offer_answer"),
    path(
        "samarbeten/erbjudanden/<int:pk>/dra-tillbaka/",
        views.offer_withdraw,
        name="offer_withdraw",
    ),
    path("samarbeten/erbjudanden/<int:pk>/avsluta/", views.partnership_end, name="end"),
    path("samarbeten/erbjudanden/<int:pk>/meddelanden/", views.message_send, name="message_send"),
    path("samarbeten/meddelanden/<int:pk>/flagga/", views.message_flag, name="message_flag"),
    path("initiativ/<int:pk>/erbjud-hjalp/", views.offer_make, name="offer_make"),
    path("initiativ/<int:pk>/erbjudanden/", views.offers, name="offers"),
]
