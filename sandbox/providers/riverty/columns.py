"""Riverty bulk disputes as numpy columns: one `Block` per client's `generate:`.

The columns hold what indexes, deadlines, look-ups and the non-default sorts need: id, shop,
stage, rfi party (→ status), visibility, creation time and every milestone of the history (exact
integer microseconds), reason, agent, amounts, ticket sequence, invoice number and the ids of the
dispute's attachments. `generator.DisputeMaker` builds the full record from them plus its own rng,
only when the record is first read. The history is the one `generator._backwards` draws, stage by
stage, vectorised: a stage with a running deadline has it after the clock start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ...bulk import MICRO, choose, member, micros, np_rng, uniform_micros
from ...provider import BuildContext
from . import inferred, tables
from .lifecycle import AGENTS, EXPIRING, Rules
from .scenario import ClientSpec

MIN = 60_000_000  # one minute in microseconds
DAY = 86_400_000_000
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
PARTIES = ("shop", "customer")  # party codes 0, 1
REASON_IDS = np.array([tables.REASONS[c][0] for c in tables.REASON_CODES], dtype=np.int64)
TICKET = re.compile(r"d-(\d{4})-(\d{4})", re.ASCII)  # lower-cased `inferred.TICKET_FORMAT`
INVOICE = re.compile(rf"[1-9]\d{{{inferred.INVOICE_DIGITS - 1}}}", re.ASCII)
CUSTOMER_FILES = np.array([0, 0, 1, 1, 2], dtype=np.int8)  # as `generator.DisputeMaker` draws them


def ticket_text(seq: int) -> str:
    return inferred.TICKET_FORMAT.format(hi=seq // 10000 + 1, lo=seq % 10000)


def ticket_seq(text: str) -> int | None:
    """The sequence number `next_ticket` gave `text` (D-0001-4112 → 4112); order-preserving."""
    match = TICKET.fullmatch(text.lower())
    return (int(match[1]) - 1) * 10000 + int(match[2]) if match else None


def guid_halves(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`n` random version-4 GUIDs as (high, low) 64-bit halves, like `lifecycle.new_guid`."""
    halves = np.frombuffer(rng.bytes(16 * n), dtype=np.uint64).reshape(n, 2)
    hi = (halves[:, 0] & np.uint64(~0xF000 & (2**64 - 1))) | np.uint64(0x4000)
    lo = (halves[:, 1] & np.uint64(~(0xC << 60) & (2**64 - 1))) | np.uint64(0x8 << 60)
    return hi, lo


def guid_rows(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """GUID halves → rows of 36 characters (uint8), lower-case hex with the dashes (8-4-4-4-12)."""
    n = len(hi)
    nibbles = np.empty((n, 32), dtype=np.uint8)
    for half, col in ((hi, 0), (lo, 16)):
        raw = half.astype(">u8").view(np.uint8).reshape(n, 8)
        nibbles[:, col : col + 16 : 2] = raw >> 4
        nibbles[:, col + 1 : col + 16 : 2] = raw & 15
    hexes = HEX[nibbles]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for src, dst, width in ((0, 0, 8), (8, 9, 4), (12, 14, 4), (16, 19, 4), (20, 24, 12)):
        out[:, dst : dst + width] = hexes[:, src : src + width]
    return out


def guid_strings(rows: np.ndarray) -> list[str]:
    text = rows.tobytes().decode()
    return [text[i : i + 36] for i in range(0, len(text), 36)]


def guid_text(hi: int, lo: int) -> str:
    text = f"{hi:016x}{lo:016x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def guid_value(text: str) -> tuple[int, int] | None:
    digits = text.replace("-", "")
    if len(digits) != 32:
        return None
    try:
        return int(digits[:16], 16), int(digits[16:], 16)
    except ValueError:
        return None


@dataclass(eq=False)
class Block:
    """One client's bulk disputes, in creation (= key) order. Times are µs since the epoch,
    -1 where there is none; `steps[:, k]` is when stage k+2 was entered."""

    client_id: int
    shops: list[str]  # shop keys; `shop` indexes this
    ids: list[str]
    id_bytes: np.ndarray  # S36, the ids again: tie-breaks in column sorts
    shop: np.ndarray
    stage: np.ndarray
    party: np.ndarray
    status: np.ndarray
    ui: np.ndarray
    decisive: np.ndarray
    shop_file_at_3: np.ndarray
    customer_files: np.ndarray
    created: np.ndarray
    steps: np.ndarray  # (n, 6): stages 2..7
    reason: np.ndarray  # index into tables.REASON_CODES
    agent: np.ndarray  # index into lifecycle.AGENTS, -1 none
    amount: np.ndarray
    disputed: np.ndarray
    deadline: np.ndarray  # the record's `deadline` (stage 4 too)
    due: np.ndarray  # the scheduled expiry (stages 1, 2, 3, 5 with their rule on)
    touched: np.ndarray  # UpdatedByConsumerOrRivertyAt
    att_start: np.ndarray  # (n + 1,) offsets into att_hi/att_lo: customer files first, then the shop's
    att_hi: np.ndarray  # attachment ids as GUID halves (uint64)
    att_lo: np.ndarray
    att_order: np.ndarray  # argsort of att_hi, for look-ups by id
    built: np.ndarray  # True once the record exists (its columns may be stale)
    seq: np.ndarray = field(init=False)  # ticket sequence numbers, ascending (set by the state)
    invoice: np.ndarray = field(init=False)  # 9-digit invoice numbers (set by the state)
    invoice_order: np.ndarray = field(init=False)

    def __len__(self) -> int:
        return len(self.ids)

    def attachment_ids(self, i: int) -> list[str]:
        span = slice(self.att_start[i], self.att_start[i + 1])
        return [guid_text(hi, lo) for hi, lo in zip(self.att_hi[span].tolist(), self.att_lo[span].tolist(), strict=True)]

    def attachment_owner(self, attachment_id: str) -> int | None:
        """Index of the dispute that owns the attachment, found without building anything."""
        value = guid_value(attachment_id)
        if value is None:
            return None
        hi, lo = np.uint64(value[0]), np.uint64(value[1])
        at = int(np.searchsorted(self.att_hi, hi, sorter=self.att_order))
        while at < len(self.att_order) and self.att_hi[self.att_order[at]] == hi:
            position = self.att_order[at]
            if self.att_lo[position] == lo:
                return int(np.searchsorted(self.att_start, position, side="right")) - 1
            at += 1
        return None

    def with_ticket(self, text: str) -> int | None:
        seq = ticket_seq(text)
        if seq is None or ticket_text(seq).lower() != text.lower():
            return None
        at = int(np.searchsorted(self.seq, seq))
        return at if at < len(self.seq) and self.seq[at] == seq else None

    def with_invoice(self, text: str) -> list[int]:
        if not INVOICE.fullmatch(text):
            return []
        value = int(text)
        left = int(np.searchsorted(self.invoice, value, side="left", sorter=self.invoice_order))
        right = int(np.searchsorted(self.invoice, value, side="right", sorter=self.invoice_order))
        return self.invoice_order[left:right].tolist()


def _clip(lo: int, hi: int, fallback: tuple[int, int]) -> tuple[int, int]:
    return (lo, hi) if lo <= hi else fallback


def bulk_columns(ctx: BuildContext, rules: Rules, client: ClientSpec, shops: list[str], stage_weights: dict,
                 reason_weights: dict) -> Block:
    """The columns of `client.generate.count` disputes, sorted by creation time."""
    gen, n = client.generate, client.generate.count
    rng = np_rng(ctx.seed, "riverty-bulk", client.id)
    now = micros(ctx.start)
    lo, hi = (micros(ctx.time(t)) for t in gen.created_between)
    s1, s2, s3, s4 = (rules.span(k) // MICRO for k in (1, 2, 3, 4))

    def between(a, b) -> np.ndarray:
        return uniform_micros(rng, a, b, n)

    stage = np.array(list(stage_weights), dtype=np.int8)[choose(rng, stage_weights, n)]
    reason = choose(rng, reason_weights, n).astype(np.int8)
    reason = np.array([tables.REASON_CODES.index(r) for r in reason_weights], dtype=np.int8)[reason]
    party = (rng.random(n) >= inferred.SHOP_RFI_SHARE).astype(np.int8)  # 0 shop, 1 customer
    decisive = rng.random(n) < 0.6
    shop = rng.integers(0, len(shops), n).astype(np.int16)
    ui = rng.random(n) >= gen.hidden_share
    shop_file_at_3 = rng.random(n) < 0.5
    customer_files = CUSTOMER_FILES[rng.integers(0, len(CUSTOMER_FILES), n)]
    agent = np.where(stage > 1, rng.integers(0, len(AGENTS), n), -1).astype(np.int8)
    amount = np.rint(rng.uniform(*gen.amount_between, n) * 100).astype(np.int64)
    share = np.floor(amount * rng.uniform(0.2, 0.95, n)).astype(np.int64)
    disputed = np.where(rng.random(n) < 0.7, amount, np.maximum(1, share))
    jitter = rng.integers(0, 1000, n)  # .NET ticks: sub-millisecond digits

    # -- the history, as `generator._backwards` draws it per stage --------------------------------
    created1 = between(*_clip(max(lo, now - s1 + MIN), min(hi, now), (now - s1 + MIN, now)))
    created7 = between(*_clip(lo, min(hi, now), (now - 30 * DAY, now)))
    cancelled = between(created7, np.minimum(now, created7 + s1 - MIN))
    rfi2 = between(now - s2 + MIN, now)
    supplied3 = between(now - s3 + MIN, now)
    rfi3 = between(supplied3 - s2 + MIN, supplied3 - MIN)
    decided4 = between(*_clip(max(lo + s1 + s2 + s3, now - 90 * DAY), now - MIN, (now - 30 * DAY, now - MIN)))
    final6 = between(*_clip(max(lo + s1 + s2 + 2 * s3 + s4, now - 90 * DAY), now - MIN, (now - 40 * DAY, now - MIN)))
    supplied5 = np.where(stage == 6, final6 - s3, between(now - s3 + MIN, now))
    decided = np.where(stage == 4, decided4, between(supplied5 - s4 + MIN, supplied5 - MIN))
    supplied_d = decided - s3  # the asked party answered, Riverty reviewed, then decided
    rfi_d = np.where(decisive, between(supplied_d - s2 + MIN, supplied_d - MIN), decided - s2)

    later = stage >= 4
    none = np.int64(-1)
    steps = np.full((n, 6), none, dtype=np.int64)
    steps[:, 0] = np.select([stage == 2, stage == 3, later & (stage < 7)], [rfi2, rfi3, rfi_d], none)
    steps[:, 1] = np.select([stage == 3, later & (stage < 7) & decisive], [supplied3, supplied_d], none)
    steps[:, 2] = np.where(later & (stage < 7), decided, none)
    steps[:, 3] = np.where((stage == 5) | (stage == 6), supplied5, none)
    steps[:, 4] = np.where(stage == 6, final6, none)
    steps[:, 5] = np.where(stage == 7, cancelled, none)
    created = np.select([stage == 1, stage == 7], [created1, created7], steps[:, 0] - s1) - jitter

    last = np.maximum(created, steps.max(axis=1))
    window = np.array([-1] + [(w // MICRO) if (w := rules.window(k)) else -1 for k in range(1, 8)])[stage]
    deadline = np.where(window >= 0, last + window, none)
    due = np.where(np.isin(stage, EXPIRING), deadline, none)
    shop_supplied = steps[:, 1] >= 0
    shop_supplied &= party == 0  # step 3 by the shop does not count as the consumer's or Riverty's
    touched = np.maximum.reduce([created, steps[:, 0], np.where(shop_supplied, none, steps[:, 1]),
                                 steps[:, 2], steps[:, 4], steps[:, 5]])
    status = np.array([0, *(tables.STATUS_FOR_STAGE.get(k, 0) for k in range(1, 8))], dtype=np.int8)[stage]
    status = np.where(stage == 2, np.where(party == 0, tables.STATUS_FOR_RFI_PARTY["shop"],
                                           tables.STATUS_FOR_RFI_PARTY["customer"]), status).astype(np.int8)

    shop_files = (shop_supplied & shop_file_at_3).astype(np.int64) + (steps[:, 3] >= 0)
    counts = customer_files.astype(np.int64) + shop_files
    order = np.argsort(created, kind="stable")
    id_rows = guid_rows(*guid_halves(rng, n))
    att_start = np.concatenate([[0], np.cumsum(counts[order])])
    att_hi, att_lo = guid_halves(rng, int(att_start[-1]))
    return Block(
        client_id=client.id,
        shops=shops,
        ids=guid_strings(id_rows),
        id_bytes=id_rows.view("S36").reshape(-1),
        shop=shop[order],
        stage=stage[order],
        party=party[order],
        status=status[order],
        ui=ui[order],
        decisive=decisive[order],
        shop_file_at_3=shop_file_at_3[order],
        customer_files=customer_files[order],
        created=created[order],
        steps=steps[order],
        reason=reason[order],
        agent=agent[order],
        amount=amount[order],
        disputed=disputed[order],
        deadline=deadline[order],
        due=due[order],
        touched=touched[order],
        att_start=att_start,
        att_hi=att_hi,
        att_lo=att_lo,
        att_order=np.argsort(att_hi),
        built=np.zeros(n, dtype=bool),
    )


def assign_numbers(block: Block, seed: int, first_seq: int, taken_seqs: set[int], taken_invoices: np.ndarray) -> int:
    """Ticket numbers in creation order after `first_seq`, skipping hand-given ones, and unique
    9-digit invoice numbers; returns the last sequence number used."""
    n = len(block)
    taken = np.fromiter(taken_seqs, dtype=np.int64, count=len(taken_seqs))
    seq = np.arange(first_seq + 1, first_seq + 1 + n + len(taken), dtype=np.int64)
    block.seq = seq[~member(seq, taken)][:n]
    rng = np_rng(seed, "riverty-invoices", block.client_id)
    low = 10 ** (inferred.INVOICE_DIGITS - 1)
    invoice = rng.integers(low, 10 * low, n)
    while True:
        order = np.argsort(invoice)
        ranked = invoice[order]
        clash = np.zeros(n, dtype=bool)
        clash[order[1:][ranked[1:] == ranked[:-1]]] = True  # all but the first of equal numbers
        if len(taken_invoices):
            clash |= member(invoice, taken_invoices)
        if not clash.any():
            break
        invoice[clash] = rng.integers(low, 10 * low, int(clash.sum()))
    block.invoice = invoice
    block.invoice_order = order
    return int(block.seq[-1]) if n else first_seq
