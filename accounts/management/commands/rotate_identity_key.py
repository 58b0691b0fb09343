"""Rotate the key that hashes identity numbers (accounts.identity).

1. `manage.py rotate_identity_key --new-key` prints a new random key.
2. Add it LAST to IDENTITY_HASH_KEYS (keep the old ones, in order) and restart the site.
3. `manage.py rotate_identity_key` wraps every stored digest under the keys it lacks, in one
   transaction. Run it again at any time: digests that have every key are left as they are.

After step 3 a copy of the database is of no use without the new key. The numbers are never
needed: each key wraps the digest of the one before.
"""

import secrets

from allauth.socialaccount.models import SocialAccount
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.elegitimation import PROVIDER_ID
from accounts.identity import hash_keys, wrapped
from accounts.models import IdentityVerification


class Command(BaseCommand):
    help = "Wrap every identity hash under the newest of IDENTITY_HASH_KEYS (or print a key)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="Print a new random key to add, and stop."
        )

    def handle(self, *args, new_key: bool = False, **options):
        if new_key:
            self.stdout.write(secrets.token_urlsafe(48))
            return
        keys = hash_keys()
        rewrapped = 0
        with transaction.atomic():
            verifications = IdentityVerification.objects.select_for_update().filter(
                layers__lt=len(keys)
            )
            for verification in verifications:
                layers = verification.layers
                verification.digest = wrapped(verification.digest, keys[layers:])
                verification.layers = len(keys)
                verification.save(update_fields=["digest", "layers"])
                # The sign-in method's uid was hashed with the same keys when it was made.
                account = SocialAccount.objects.filter(
                    user_id=verification.user_id, provider=PROVIDER_ID
                ).first()
                if account is not None and len(account.uid) == 64:
                    account.uid = wrapped(account.uid, keys[layers:])
                    account.save(update_fields=["uid"])
                rewrapped += 1
        self.stdout.write(
            f"{rewrapped} identity hashes wrapped; every one now has all {len(keys)} keys."
        )
