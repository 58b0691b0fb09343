from accounts.permissions import active_block


def block(request) -> dict:
    """A blocked person sees on every page why, and until when."""
    return {"active_block": active_block(request.user) if hasattr(request, "user") else None}
