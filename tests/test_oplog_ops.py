"""What an acknowledged request's op keeps (sandbox/oplog.py `request_op`): every header a replay
needs, as text, in order; never the transport's or the namespace's headers nor the dashboard's
cookie; on a control route never the control token either."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.oplog import Op, request_op

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
HEADERS = [
    (b"host", b"127.0.0.1:8000"), (b"authorization", b"Bearer sk_\xe9"), (b"content-type", b"application/json"),
    (b"content-length", b"2"), (b"transfer-encoding", b"chunked"), (b"connection", b"keep-alive"),
    (b"cookie", b"sandbox_login=t"), (b"keep-alive", b"5"), (b"expect", b"100-continue"),
    (b"x-sandbox-namespace", b"a"), (b"idempotency-key", b"k1"),
]


def _scope(**extra: object) -> dict:
    return {"method": "POST", "headers": HEADERS, "query_string": b"a=%C3%A9", "sandbox.body": b"{}", **extra}


def test_provider_op() -> None:
    op = request_op(_scope(), "request", "/pandabase/x", AT, AT)
    assert op == Op(AT, "request", "POST", "/pandabase/x", "a=%C3%A9", (
        ("host", "127.0.0.1:8000"), ("authorization", "Bearer sk_\xe9"), ("content-type", "application/json"),
        ("idempotency-key", "k1"),
    ), b"{}")
    assert Op.from_json(op.to_json()) == op


def test_control_op_drops_the_token() -> None:
    op = request_op(_scope(), "request", "/_sandbox/webhooks", AT, AT)
    assert [name for name, _ in op.headers] == ["host", "content-type", "idempotency-key"]


def test_clock_op_and_no_body() -> None:
    assert request_op(_scope(), "clock", "/_sandbox/clock/advance", AT, AT) == Op(at=AT, kind="clock")
    op = request_op({"method": "DELETE", "headers": []}, "request", "/whop/x", AT, AT)
    assert (op.query, op.headers, op.body) == ("", (), b"")
