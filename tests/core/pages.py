"""What the page cache tests read of a response."""

import re

from django.urls import reverse

LIST = reverse("ideas:list")
NONCE = re.compile(r'nonce="([^"]+)"')


def text(response) -> str:
    return response.content.decode()
