"""The dashboard with a control token: a browser signs in once (a cookie no other site can send),
then the pages and the JSON calls they make pass the front door; without it, pages send the browser
to the sign-in page and JSON calls stay 401."""

from __future__ import annotations

from sandbox.settings import LOGIN_COOKIE, Settings
from sandbox.testing import asgi_client, make_sandbox

TOKEN = "s3cret-token"


def client(settings: Settings):
    return asgi_client(make_sandbox(), settings=settings)


def test_sign_in_with_the_token_opens_pages_and_control_calls():
    c = client(Settings(control_token=TOKEN))
    page = c.get("/_sandbox/ui/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/_sandbox/ui/login"
    assert c.post("/_sandbox/clock/advance", json={"duration": "1h"}).status_code == 401
    ask = c.get("/_sandbox/ui/login")
    assert ask.status_code == 200 and 'name="token"' in ask.text
    assert c.get("/_sandbox/ui/static/dashboard.css").status_code == 200  # the sign-in page's style
    wrong = c.post("/_sandbox/ui/login", data={"token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 401 and LOGIN_COOKIE not in wrong.headers.get("set-cookie", "")
    assert c.get("/_sandbox/ui/", follow_redirects=False).status_code == 303
    right = c.post("/_sandbox/ui/login", data={"token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/_sandbox/ui/"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert c.get("/_sandbox/ui/").status_code == 200  # the client keeps the cookie
    moved = c.post("/_sandbox/clock/advance", json={"duration": "1h"})
    assert moved.status_code == 200, moved.text


def test_a_forged_or_partial_cookie_is_refused():
    c = client(Settings(control_token=TOKEN))
    for value in (TOKEN[:-1], TOKEN + "x", ""):
        c.cookies.set(LOGIN_COOKIE, value)
        assert c.get("/_sandbox/scenario").status_code == 401, value
    c.cookies.clear()
    c.cookies.set("other", f"{LOGIN_COOKIE}={TOKEN}")  # the token as another cookie's value
    assert c.get("/_sandbox/scenario").status_code == 401


def test_without_a_token_there_is_nothing_to_sign_in_to_and_a_locked_server_says_why():
    open_page = client(Settings()).get("/_sandbox/ui/login")
    assert open_page.status_code == 200 and "no control token" in open_page.text
    locked = client(Settings(control_locked=True))
    page = locked.get("/_sandbox/ui/login")
    assert page.status_code == 403 and "SANDBOX_CONTROL_TOKEN" in page.text
    assert locked.get("/_sandbox/ui/").status_code == 403
    assert locked.post("/_sandbox/ui/login", data={"token": "x"}).status_code == 403
