"""The open-data dump, made by the task worker (it holds the media volume the site serves)."""

from django.tasks import task

from partners.open_data import make_dump


@task
def make_open_data() -> str:
    """Write today's open-data dump unless it exists; the folder written, or "" if none was."""
    folder = make_dump()
    return str(folder) if folder else ""
