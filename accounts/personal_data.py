"""Everything the platform holds about one person, for them to download (GDPR art. 15 and 20).

Each app exports its own part (its privacy.py); core.privacy assembles them in the order of
settings.PERSONAL_DATA_SECTIONS.
"""

from typing import Any

from accounts.models import User
from core import privacy


def personal_data(user: User) -> dict[str, Any]:
    return privacy.export(user)
