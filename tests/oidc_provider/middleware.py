"""The test provider asks who you are every time, as BankID and Freja eID do."""

from django.contrib.auth import logout


def asks_every_time(get_response):
    """Whoever signed in is signed out once the authorization code is on its way back, so the
    next sign-in (by hand, `make run-elegitimation`) may be another test person."""

    def middleware(request):
        response = get_response(request)
        sent_back = request.path.startswith("/o/authorize") and response.status_code == 302
        if sent_back and request.user.is_authenticated:
            logout(request)
        return response

    return middleware
