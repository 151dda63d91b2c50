"""`/api/v1/resolution_center_cases…`: the legacy reads whop-sdk 0.0.41 and @whop/sdk 0.0.42 call,
and the current API whop-sdk 2.x calls (list, create, summary, retrieve, the six actions, events).

`Api-Version-Date` picks the family per request (versions.py); the current routes exist from the
cut-over on, so a legacy-dated request reads exactly what it always read. Handlers raise WhopError;
the core renders it. Facts and sources: docs/providers/whop.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sortedcontainers import SortedList
from starlette.requests import Request
from starlette.responses import Response

from ...access import query_of, sandbox_of
from ...answers import Admit, Headers, remember
from ...bulk import micros
from ...generate import rng_for
from ...jsonresp import spliced
from ...pagination import (
    CursorError,
    KeysetView,
    decode_cursor,
    encode_cursor,
    query_fingerprint,
    relay_slice,
)
from ...routing import Route
from . import dispute_routes, errors, inferred, versions
from .auth import authenticate, credential
from .lifecycle import available_actions, due_after
from .models import (
    ACTIONS,
    CURRENT_STATUSES,
    OUTCOMES,
    REASONS,
    STATUSES,
    ApiKey,
    CaseRecord,
    EventRecord,
    Reason,
    new_id,
)
from .serialize import case_json, current_case_json, event_json, fragment_name, list_item_json
from .state import Replay, WhopState

JSON_TYPE = "application/json"
ISSUE_OF_REASON = {reason: issue for issue, reason in inferred.REASON_OF_ISSUE.items()}
MESSAGE_REQUIRED = ("deny", "reply", "appeal")  # the SDK marks `message` required on these


def _state(request: Request) -> WhopState:
    return sandbox_of(request).state("whop")


def _page_sizes(request: Request) -> tuple[int | None, int | None]:
    """`first` and `last`, read as the current API reads them (dispute_routes.Query)."""
    query = dispute_routes.Query(request)
    return query.int("first"), query.int("last")


def _time_param(request: Request, name: str) -> datetime | None:
    return dispute_routes.Query(request).time(name)


def _values(request: Request, name: str, allowed: tuple[str, ...]) -> list[str]:
    """A repeated parameter: `name=a&name=b` (what 2.6.0 sends) or `name[]=a`; each value checked."""
    params = query_of(request)
    values = params.getlist(name) + params.getlist(f"{name}[]")
    for value in values:
        if value not in allowed:
            raise errors.bad_request(name, f"Invalid value for {name}: {value[:64]!r}")
    return sorted(set(values))


def _direction(request: Request) -> str:
    direction = dispute_routes.Query(request).text("direction") or inferred.DEFAULT_DIRECTION
    if direction not in ("asc", "desc"):
        raise errors.bad_request("direction", "direction must be asc or desc")
    return direction


def _statuses(request: Request) -> list[str]:
    """`statuses=a&statuses=b` (the OAS form) and `statuses[]=a` (what the SDK sends)."""
    return _values(request, "statuses", STATUSES)


def _cursor(request: Request, name: str, binding: str, types: tuple[type, ...] = (int, str)) -> tuple | None:
    raw = query_of(request).get(name)
    if raw is None or (raw == "" and inferred.EMPTY_CURSOR_IS_ABSENT):  # `after=`: no cursor
        return None
    try:
        key = decode_cursor(raw, binding, arity=len(types))
    except CursorError:
        raise errors.bad_request(name, f"Invalid cursor for {name}") from None
    if any(type(part) is not kind for part, kind in zip(key, types, strict=True)):
        raise errors.bad_request(name, f"Invalid cursor for {name}")
    return key


def _version(request: Request, key: ApiKey) -> str:
    return versions.resolve(request, key.api_version_date)


def _page_body(items: list[bytes], keys: list[tuple], binding: str, has_next: bool, has_previous: bool) -> bytes:
    page_info = {
        "end_cursor": encode_cursor(keys[-1], binding) if keys else None,
        "start_cursor": encode_cursor(keys[0], binding) if keys else None,
        "has_next_page": has_next,
        "has_previous_page": has_previous,
    }
    return spliced(b'{"data":[', items, b'],"page_info":' + orjson.dumps(page_info) + b"}")


# -- legacy (versions before the cut-over) ------------------------------------------------------


def _legacy_company(key: ApiKey) -> str:
    if key.company_id is None:
        raise errors.forbidden("the legacy API serves company keys only (inferred.LEGACY_USER_TOKENS)")
    return key.company_id


def _legacy_list(request: Request, state: WhopState, key: ApiKey) -> Response:
    # A page is cached under the key's company only once its query passed the company check
    # below, so the same query string for the same company answers from the cache before the
    # query is parsed (a poller's path; the check would pass again).
    if key.company_id is not None:
        cached = state.cases.cached_page((key.company_id, request.scope["query_string"]))
        if cached is not None:
            return Response(cached, media_type=JSON_TYPE)
    company_id = dispute_routes.Query(request).text("company_id") or _legacy_company(key)
    if company_id != key.company_id:
        raise errors.other_company_filter()
    page_key = (company_id, request.scope["query_string"])
    first, last = _page_sizes(request)
    direction = _direction(request)
    statuses = _statuses(request)
    created_after = _time_param(request, "created_after")
    created_before = _time_param(request, "created_before")
    binding = query_fingerprint(company_id, statuses, created_after, created_before, direction)
    after = _cursor(request, "after", binding)
    before = _cursor(request, "before", binding)

    groups = [(company_id, s) for s in statuses] if statuses else [(company_id,)]
    view = state.cases.view(
        groups,
        lower=(micros(created_after), "\uffff") if created_after else None,
        upper=(micros(created_before), "") if created_before else None,
        descending=direction == "desc",
    )
    if first is None and last is None:
        first = inferred.DEFAULT_PAGE_SIZE
    page = relay_slice(view, after, before, first, last)
    companies = state.companies
    items = state.cases.fragments(page.keys, "list", lambda c: list_item_json(c, companies))
    body = _page_body(items, page.keys, binding, page.has_next_page, page.has_previous_page)
    return Response(state.cases.cache_page(page_key, body), media_type=JSON_TYPE)


# -- current: who reads what ----------------------------------------------------------------


def _readable(state: WhopState, key: ApiKey, case_id: str) -> CaseRecord:
    """A case the caller may read: its company's (merchant) or one it opened (customer); else 404."""
    case = state.cases.get(case_id)
    if case is None:
        raise errors.not_found(f"no case {case_id[:40]!r}")
    if key.company_id is not None and case.company_id != key.company_id:
        raise errors.other_company_case()
    if key.company_id is None and case.user_id != key.user_id:
        raise errors.not_found("the case was opened by another user")
    return case


@dataclass(frozen=True, slots=True)
class Filters:
    """The current list/summary filters, resolved to the indexes and a residual predicate.

    `issues` is the reason filter alone; `predicate` holds it and every other residual test
    (`record_tests`: tests that need the built record, such as `user_id`)."""

    groups: list[tuple]
    predicate: Callable[[CaseRecord], bool] | None
    lower: tuple | None
    upper: tuple | None
    fingerprint: tuple
    issues: frozenset[str] | None
    record_tests: bool

    def view(self, state: WhopState, descending: bool) -> KeysetView[CaseRecord]:
        return state.cases.view(
            self.groups, lower=self.lower, upper=self.upper, descending=descending, predicate=self.predicate
        )

    def in_window(self, state: WhopState) -> Callable[[CaseRecord], bool] | None:
        """The residual tests plus the created window, for views not ordered by creation."""
        if self.lower is None and self.upper is None:
            return self.predicate
        lower, upper, test, key_of = self.lower, self.upper, self.predicate, state.cases.key_of

        def keep(case: CaseRecord) -> bool:
            key = key_of(case)
            inside = (lower is None or key > lower) and (upper is None or key < upper)
            return inside and (test is None or test(case))

        return keep


def _filters(request: Request, key: ApiKey, forbid_other_account: bool) -> Filters:
    statuses = _values(request, "status", CURRENT_STATUSES)
    outcomes = _values(request, "outcome", OUTCOMES)
    reasons = _values(request, "reason", REASONS)
    created_after = _time_param(request, "created_after")
    created_before = _time_param(request, "created_before")
    query = dispute_routes.Query(request)
    account_id, user_id = query.text("account_id"), query.text("user_id")
    legacy: list[str] | None = None
    if statuses or outcomes:
        legacy = [
            s
            for s, (status, _, outcome) in inferred.CURRENT_STATUS.items()
            if (not statuses or status in statuses) and (not outcomes or outcome in outcomes)
        ]
    tests: list[Callable[[CaseRecord], bool]] = []
    nothing = False
    if key.company_id is not None:  # merchant: its account's whole queue
        if account_id not in (None, key.company_id):
            if forbid_other_account:
                raise errors.other_company_filter()
            nothing = True
        if user_id == "me":  # an account key is no buyer: `me` opened nothing
            nothing = True
        elif user_id is not None:
            tests.append(lambda c: c.user_id == user_id)
        groups: list[tuple[Any, ...]] = [(key.company_id, s) for s in legacy] if legacy is not None else [(key.company_id,)]
    else:  # customer: the cases it opened
        if user_id not in (None, "me", key.user_id):
            nothing = True
        if account_id is not None:
            tests.append(lambda c: c.company_id == account_id)
        if legacy is not None:
            wanted = frozenset(legacy)
            tests.append(lambda c: c.status in wanted)
        groups = [("user", key.user_id)]
    record_tests = bool(tests)
    issues = frozenset(ISSUE_OF_REASON[r] for r in reasons) if reasons else None
    if issues:
        tests.append(lambda c: c.issue in issues)
    predicate = None
    if len(tests) == 1:
        predicate = tests[0]
    elif tests:
        predicate = lambda c: all(t(c) for t in tests)  # noqa: E731
    return Filters(
        [] if nothing else groups,
        predicate,
        (micros(created_after), "\uffff") if created_after else None,
        (micros(created_before), "") if created_before else None,
        (key.company_id, key.user_id, account_id, user_id, statuses, outcomes, reasons, created_after, created_before),
        issues,
        record_tests,
    )


def _current_list(request: Request, state: WhopState, key: ApiKey) -> Response:
    role, email = key.role, inferred.EMAIL_PERMISSION in key.permissions
    page_key = ("current", key.key, request.scope["query_string"])
    cached = state.cases.cached_page(page_key)
    if cached is not None:
        return Response(cached, media_type=JSON_TYPE)
    filters = _filters(request, key, forbid_other_account=True)
    first, last = _page_sizes(request)
    direction = _direction(request)
    order = dispute_routes.Query(request).text("order") or inferred.CURRENT_ORDER
    if order not in ("created_at", "response_due_at"):
        raise errors.bad_request("order", "order must be created_at or response_due_at")
    binding = query_fingerprint("current", order, direction, *filters.fingerprint)
    types: tuple[type, ...] = (int, str) if order == "created_at" else (int, int, str)
    after, before = _cursor(request, "after", binding, types), _cursor(request, "before", binding, types)
    descending = direction == "desc"
    view = filters.view(state, descending)
    if order == "response_due_at":  # the due-date indexes; the created window becomes a test
        view = KeysetView(state.cases, [state.due.get(g) for g in filters.groups], None, None, descending, filters.in_window(state))
    if first is None and last is None:
        first = inferred.CURRENT_PAGE_SIZE
    page = relay_slice(view, after, before, first, last)
    name = fragment_name(role, email)
    items = state.cases.fragments(page.keys, name, lambda c: current_case_json(state, c, role, email))
    body = _page_body(items, page.keys, binding, page.has_next_page, page.has_previous_page)
    return Response(state.cases.cache_page(page_key, body), media_type=JSON_TYPE)


def _current_case(state: WhopState, key: ApiKey, case: CaseRecord, status: int = 200) -> Response:
    return Response(_case_bytes(state, key, case), status_code=status, media_type=JSON_TYPE)


def _case_bytes(state: WhopState, key: ApiKey, case: CaseRecord) -> bytes:
    role, email = key.role, inferred.EMAIL_PERMISSION in key.permissions
    return state.cases.fragment(case, fragment_name(role, email), lambda c: current_case_json(state, c, role, email))


# -- read handlers ----------------------------------------------------------------------------


def _read(request: Request, operation: str) -> tuple[WhopState, ApiKey, str]:
    """What a case read runs before its answer: auth (the rate limit included), then the version.
    A stored answer (sandbox/answers.py) runs exactly this again: see `_admit`."""
    state = _state(request)
    key = authenticate(request, state, operation)
    return state, key, _version(request, key)


def _admit(operation: str) -> Admit:
    """A stored read's per-request part: `_read`'s checks. The company check of a retrieve needs no
    repeat: the credential is part of the stored answer's key, and a key reads one company."""

    async def admit(request: Request) -> Headers:
        _read(request, operation)
        return []

    return admit


_ADMIT_LIST, _ADMIT_RETRIEVE = _admit("list_resolution_center_cases"), _admit("retrieve_resolution_center_case")


async def list_cases(request: Request) -> Response:
    state, key, version = _read(request, "list_resolution_center_cases")
    if versions.is_current(version):
        response = _current_list(request, state, key)
    else:
        response = _legacy_list(request, state, key)
    return remember(request, response, _ADMIT_LIST, state.cases)


async def retrieve_case(request: Request) -> Response:
    state, key, version = _read(request, "retrieve_resolution_center_case")
    case_id = request.path_params["id"]
    if versions.is_current(version):
        response = _current_case(state, key, _readable(state, key, case_id))
        return remember(request, response, _ADMIT_RETRIEVE, state.cases)
    company_id = _legacy_company(key)
    case = state.cases.get(case_id)
    if case is None:
        raise errors.not_found(f"no case {case_id[:40]!r}")
    if case.company_id != company_id:
        raise errors.other_company_case()
    return Response(case_json(case, state.companies), media_type=JSON_TYPE)


def _current_only(request: Request, state: WhopState, operation: str, permission: str = inferred.REQUIRED_PERMISSION) -> ApiKey:
    """Auth for a route that exists from the cut-over on: at a legacy version it is not there."""
    key = authenticate(request, state, operation, permission)
    if not versions.is_current(_version(request, key)):
        raise errors.not_found("this route exists from Api-Version-Date " + inferred.CURRENT_SHAPE_FROM)
    return key


async def summary(request: Request) -> Response:
    """`GET /resolution_center_cases/summary`: counts per status, reason and outcome, zeros included."""
    state = _state(request)
    key = authenticate(request, state, "summary_resolution_center_cases")
    if not versions.is_current(_version(request, key)):  # legacy: `summary` is read as a case id
        request.path_params["id"] = "summary"
        return await retrieve_case(request)
    wanted = _values(request, "groups", ("status", "reason", "outcome")) or ["status", "reason", "outcome"]
    filters = _filters(request, key, forbid_other_account=False)  # 403 is not mapped here: total 0
    counts: dict[str, dict[str, int]] = {
        "status": dict.fromkeys(sorted(CURRENT_STATUSES), 0),
        "reason": dict.fromkeys(sorted(REASONS), 0),
        "outcome": dict.fromkeys(sorted(OUTCOMES), 0),
    }
    total = 0
    for legacy, issue, n in _facts(state, filters, "reason" in wanted):
        status, _, outcome = inferred.CURRENT_STATUS[legacy]
        total += n
        counts["status"][status] += n
        if issue:
            counts["reason"][inferred.REASON_OF_ISSUE[issue]] += n
        if outcome:
            counts["outcome"][outcome] += n
    body = {"total": total, "groups": {g: counts[g] for g in ("status", "reason", "outcome") if g in wanted}}
    return Response(orjson.dumps(body), media_type=JSON_TYPE)


def _facts(state: WhopState, filters: Filters, with_issue: bool) -> Iterator[tuple[str, str | None, int]]:
    """(legacy status, issue or None, count) over the cases the filters keep. A merchant's status
    indexes count without building anything, and the seed says a bulk case's issue; only tests
    on other fields (`user_id`, a customer's `account_id`) read the records."""
    if filters.record_tests or any(g[0] == "user" for g in filters.groups):
        view = filters.view(state, descending=False)
        for case in view.records(view.after(None, len(state.cases))):
            yield case.status, case.issue, 1
        return
    for group in filters.groups:
        for status in [group[1]] if len(group) > 1 else list(STATUSES):
            index = state.cases.index((group[0], status))
            if not (with_issue or filters.issues):
                left = 0 if filters.lower is None else index.bisect_right(filters.lower)
                right = len(index) if filters.upper is None else index.bisect_left(filters.upper)
                yield status, None, max(0, right - left)
                continue
            for key in index.irange(filters.lower, filters.upper, inclusive=(False, False)):
                issue = state.issue_of(group[0], key)
                if filters.issues is None or issue in filters.issues:
                    yield status, issue, 1


async def case_events(request: Request) -> Response:
    """`GET /resolution_center_cases/{id}/events`: newest first; a customer sees its own part."""
    state = _state(request)
    key = _current_only(request, state, "list_resolution_center_case_events")
    case = _readable(state, key, request.path_params["id"])
    shown = [(i, e) for i, e in enumerate(case.events) if key.company_id is not None or e.viewable_by_customer]
    binding = query_fingerprint("events", case.id, key.role)
    first, last = _page_sizes(request)
    after, before = _cursor(request, "after", binding), _cursor(request, "before", binding)
    view: KeysetView[Any] = KeysetView(state.cases, [SortedList((i, e.id) for i, e in shown)], None, None, True, None)
    if first is None and last is None:
        first = inferred.CURRENT_PAGE_SIZE
    page = relay_slice(view, after, before, first, last)
    events = case.events
    items = [event_json(events[i]) for i, _ in page.keys if i < len(events)]
    body = _page_body(items, page.keys, binding, page.has_next_page, page.has_previous_page)
    return Response(body, media_type=JSON_TYPE)


# -- writes -------------------------------------------------------------------------------------


class Attach(BaseModel):
    """`{"id": "file_…"}` or `{"direct_upload_id": "…"}`, exactly one of them (the schema says so too)."""

    model_config = ConfigDict(
        extra="forbid",
        defer_build=True,
        json_schema_extra={"oneOf": [
            {"required": ["id"], "properties": {"id": {"type": "string"}}},
            {"required": ["direct_upload_id"], "properties": {"direct_upload_id": {"type": "string"}}},
        ]},
    )
    id: str | None = Field(default=None, max_length=64)
    direct_upload_id: str | None = Field(default=None, max_length=255)

    @model_validator(mode="after")
    def one_of(self) -> Attach:
        if (self.id is None) == (self.direct_upload_id is None):
            raise ValueError("give exactly one of id and direct_upload_id")
        return self


class ActionBody(BaseModel):
    """The body every case action shares; unknown keys are ignored (the SDK may add some)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    message: str | None = Field(default=None, max_length=inferred.MESSAGE_MAX_LENGTH)
    attachments: list[Attach] | None = Field(default=None, max_length=3)
    terminate_membership: bool | None = None


class CreateBody(ActionBody):
    message: str = Field(min_length=1, max_length=inferred.MESSAGE_MAX_LENGTH)
    reason: Reason
    receipt_id: str = Field(min_length=1, max_length=64)


def _parse(model: type[ActionBody], raw: bytes) -> Any:
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise errors.WhopError(400, "invalid_request_error", "The body is not valid JSON.", code="invalid_json") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise errors.bad_request("body", "The body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first["loc"]) or "body"
        raise errors.bad_request(param, f"{param}: {first['msg']}") from None


def _fingerprint(raw: bytes) -> bytes:
    """Bodies that mean the same (empty, `{}`, explicit nulls) hash the same."""
    try:
        data = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        return hashlib.sha256(raw).digest()
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if v is not None}
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).digest()


async def _idempotent(request: Request, state: WhopState, key: ApiKey, run: Callable[[bytes], Response]) -> Response:
    """Run a write once per `Idempotency-Key`: a retry with the same body replays the first answer."""
    raw = await request.body()
    header = request.headers.get("idempotency-key")
    if header is None:
        return run(raw)
    if not header or len(header) > inferred.IDEMPOTENCY_KEY_MAX:
        raise errors.bad_request("Idempotency-Key", f"Idempotency-Key must be 1 to {inferred.IDEMPOTENCY_KEY_MAX} characters")
    now = sandbox_of(request).now()
    slot = (header, key.key, request.method, request.url.path)
    fingerprint = _fingerprint(raw)
    stored = state.replay(slot, fingerprint, now)
    if stored is not None:
        return Response(stored.body, status_code=stored.status, media_type=JSON_TYPE)
    response = run(raw)
    state.remember(slot, Replay(fingerprint, response.status_code, bytes(response.body), now))
    return response


def _attachments(state: WhopState, case_id: str, index: int, given: list[Attach] | None) -> tuple[str, ...]:
    """New `att_` ids for the files an action attaches (event `index` of the case)."""
    rng = rng_for(state.ctx.seed, "whop-attachment", case_id, index)
    return tuple(new_id(rng, "att_") for _ in given or ())


async def act(request: Request) -> Response:
    """`POST /resolution_center_cases/{id}/{accept|deny|request_info|reply|appeal|withdraw}`."""
    action = request.path_params["action"]
    state = _state(request)
    if action not in ACTIONS:
        raise unknown_path(request)
    key = _current_only(request, state, f"{action}_resolution_center_case", inferred.MANAGE_PERMISSION)
    case = _readable(state, key, request.path_params["id"])
    now = sandbox_of(request).now()

    def run(raw: bytes) -> Response:
        body = _parse(ActionBody, raw)
        if action in MESSAGE_REQUIRED and not body.message:
            raise errors.WhopError(400, "invalid_request_error", "message is required", code="parameter_missing", param="message")
        offered = available_actions(case, key.role)
        if action not in offered:
            raise errors.conflict(
                f"This case does not allow {action} for the {key.role} now (available: {', '.join(offered) or 'none'})."
            )
        state.lifecycle.act(case, key.role, action, body.message, _attachments(state, case.id, len(case.events), body.attachments), now)
        return _current_case(state, key, case)

    return await _idempotent(request, state, key, run)


async def create_case(request: Request) -> Response:
    """`POST /resolution_center_cases`: a customer opens a case on one of its own payments."""
    state = _state(request)
    key = _current_only(request, state, "create_resolution_center_case", inferred.MANAGE_PERMISSION)
    if key.user_id is None:
        raise errors.forbidden("an account key cannot open a case: customers do (inferred.CREATE_BY)")
    user_id = key.user_id
    now = sandbox_of(request).now()

    def run(raw: bytes) -> Response:
        body = _parse(CreateBody, raw)
        payment = state.payments.get(body.receipt_id)
        if payment is None or payment.user_id != user_id:
            raise errors.not_found(f"no payment {body.receipt_id[:40]!r} of this user")
        mine = state.cases.view([("user", user_id)])
        open_cases = (c for c in mine.records(mine.after(None, len(state.cases))) if c.payment_id == payment.id)
        if any(inferred.CURRENT_STATUS[c.status][0] != "closed" for c in open_cases):
            raise errors.conflict("An open case already exists for this payment.")
        user = state.users[user_id]
        rng = rng_for(state.ctx.seed, "whop-create", payment.id, len(state.cases))
        case_id = new_id(rng, "reso_")
        case = CaseRecord(
            id=case_id,
            company_id=payment.company_id,
            status="merchant_response_needed",
            issue=ISSUE_OF_REASON[body.reason],
            created_at=now,
            updated_at=now,
            due_date=due_after(state.rules, "merchant_response_needed", now),
            user_id=user_id,
            user_name=user.name,
            username=user.username,
            payment_id=payment.id,
            payment_created_at=payment.created_at,
            paid_at=payment.created_at,
            currency=payment.currency,
            total=payment.total,
            subtotal=payment.total,
            member_id=new_id(rng, "mem_"),
            events=[
                EventRecord(
                    new_id(rng, "revt_"), "created", "customer", body.message, now,
                    list(_attachments(state, case_id, 0, body.attachments)),
                )
            ],
            email=user.email,
        )
        state.lifecycle.open(case)
        return _current_case(state, key, case, status=201)

    return await _idempotent(request, state, key, run)


def unknown_path(request: Request) -> errors.WhopError:
    """A path the API does not serve: 404, but only for a valid key (Whop authenticates first)."""
    credential(request, _state(request))
    return errors.not_found(f"no route {request.method} {request.url.path[:80]}")


ROUTES = [
    Route("/api/v1/resolution_center_cases", list_cases, methods=["GET"]),
    Route("/api/v1/resolution_center_cases", create_case, methods=["POST"]),
    Route("/api/v1/resolution_center_cases/summary", summary, methods=["GET"]),
    Route("/api/v1/resolution_center_cases/{id}/events", case_events, methods=["GET"]),
    Route("/api/v1/resolution_center_cases/{id}/{action}", act, methods=["POST"]),
    Route("/api/v1/resolution_center_cases/{id:path}", retrieve_case, methods=["GET"]),
    *dispute_routes.ROUTES,
]
