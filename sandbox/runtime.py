"""The running sandbox: one scenario, one clock, one scheduler, one event log, provider states.

Loading builds everything fresh and swaps it in only when the build succeeded, so a bad scenario
never disturbs what is running. Reset rebuilds from the same scenario and the same start instant,
so responses after a reset are byte-identical to those after the load. The swap is one reference
assignment (`self.world`) made without suspending, so a request sees the old world or the new one,
never a mix; the old world's webhook deliveries are cancelled with it.

Clock moves over HTTP (`move_clock`) run due actions in slices of `MOVE_SLICE_SECONDS`, freeing the
event loop between slices: a 30-day move over 100k records leaves other requests waiting a few
milliseconds, not a minute. During a move the clock reads the instant of the last action run, so
a concurrent request sees a consistent past; moves are serialised. `advance_clock`/`set_clock`
(for tests and embedding) run everything at once, with the same result: actions receive their due
instant, so one step equals many, sliced or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .answers import Answers
from .clock import Clock
from .drills import Drills
from .events import Event, EventLog, Listener
from .faults import Faults
from .journal import DEFAULT_SIZE as DEFAULT_JOURNAL_SIZE
from .journal import Journal
from .oplog import Op, OpLog
from .provider import BuildContext, Provider
from .scenario import (
    Scenario,
    ScenarioError,
    load_scenario_file,
    parse_scenario,
    utc_now,
    webhook_tenant_problems,
)
from .scheduler import Scheduler
from .timefmt import iso_millis
from .webhooks import Dispatcher, Sender, WebhookAllow

MOVE_SLICE_SECONDS = 0.004  # real time a clock move runs actions before letting others in
ANSWER_EVENTS_LIMIT = 1_000  # events listed in a clock move's answer (all are counted)

logger = logging.getLogger("sandbox")
clock_logger = logging.getLogger("sandbox.clock")
event_logger = logging.getLogger("sandbox.events")


def _seeded(scenario: Scenario, seed: int | None) -> Scenario:
    """`scenario` with `seed`, as a shallow copy: a parsed scenario is shared (namespaces build
    from the server's one) and must not change under the others."""
    return scenario if seed is None or seed == scenario.seed else dataclasses.replace(scenario, seed=seed)


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a replaying load from sync code (the CLI, tests); inside a loop, await `aload`."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    coroutine.close()
    raise RuntimeError("a scenario with replay: ops replays requests: await Sandbox.aload/areset in async code")


def log_event(event: Event) -> None:
    """A domain event (a record created, a lifecycle transition) at INFO on `sandbox.events`."""
    if event_logger.isEnabledFor(logging.INFO):
        changes = {k: v for k, v in event.data.items() if isinstance(v, dict) and {"from", "to"} <= v.keys()}
        what = ", ".join(f"{k} {v['from']} -> {v['to']}" for k, v in changes.items())
        event_logger.info("%s %s %s %s (tenant %s)%s", iso_millis(event.at), event.provider, event.type,
                          event.object_id, event.tenant, f": {what}" if what else "")


@dataclass
class World:
    """Everything derived from one scenario; replaced whole on load and reset."""

    scenario: Scenario
    start: datetime
    clock: Clock
    scheduler: Scheduler
    events: EventLog
    states: dict[str, Any]
    webhooks: Dispatcher
    moving: bool = False  # a sliced clock move is under way: only it runs due actions
    answers: Answers = field(default_factory=Answers)  # finished reads (sandbox/answers.py), this world's


class WorldReplaced(Exception):
    """The scenario was reset or reloaded while the clock moved; the move was abandoned."""


@dataclass
class ClockMove:
    """A clock move's answer: the new `now` and the events its due actions caused, the first
    `ANSWER_EVENTS_LIMIT` of them listed and all of them counted."""

    now: datetime
    events: list[Event]
    events_total: int

    def to_json(self) -> dict[str, Any]:
        return {
            "now": iso_millis(self.now),
            "events": [e.to_json() for e in self.events],
            "events_total": self.events_total,
            "events_truncated": self.events_total > len(self.events),
        }


class Sandbox:
    def __init__(
        self,
        providers: Sequence[Provider],
        clock_speed: float = 0.0,
        webhook_allow: WebhookAllow | None = None,
        freeze_gc: bool = False,
        journal_size: int = DEFAULT_JOURNAL_SIZE,
    ) -> None:
        """`webhook_allow`: the targets webhooks may reach (default loopback only). `freeze_gc`:
        move each loaded world out of the collector's sight (`gc.freeze`); only for a process
        that is nothing but the server, as it freezes every other object too. `journal_size`: the
        request journal's bound (0: off)."""
        self.providers = list(providers)
        self.by_key = {p.key: p for p in self.providers}
        self.clock_speed = clock_speed
        self.webhook_allow = webhook_allow or WebhookAllow.parse(None)
        self.freeze_gc = freeze_gc
        self.listeners: list[Listener] = [log_event]
        self._world: World | None = None
        self.faults = Faults()
        self.drills = Drills()
        self.journal = Journal(journal_size)
        self.sender: Sender | None = None
        self.oplog = OpLog()  # the base and the acknowledged changes (export, --state-file)
        self._move_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    # -- loading ---------------------------------------------------------------------------
    def load_file(self, name_or_path: str | None, seed: int | None = None) -> None:
        self.load(load_scenario_file(name_or_path, self.providers), seed)

    def load_text(self, text: str, file: str = "<request>", seed: int | None = None) -> None:
        self.load(parse_scenario(text, file, self.providers), seed)

    def load(self, scenario: Scenario, seed: int | None = None, start: datetime | None = None) -> None:
        """Build `scenario` (with `seed` instead of its own, and `start` instead of its clock
        start when given) and swap it in. A scenario with `replay:` ops replays them, which runs
        requests through the app: from async code use `aload`."""
        if scenario.replay or scenario.replay_now is not None:
            _run(self.aload(scenario, seed, start))
            return
        scenario = _seeded(scenario, seed)
        start = start or scenario.start_instant(utc_now())
        self._swap(self._build(scenario, start))
        self.oplog.rebase(scenario, start)
        logger.info("scenario %r loaded (%s), seed %s", scenario.name, scenario.file, scenario.seed)

    async def aload(
        self, scenario: Scenario, seed: int | None = None, start: datetime | None = None, extra: Sequence[Op] = ()
    ) -> None:
        """`load`, replaying the scenario's `replay:` ops and then `extra` (a state file's ops,
        already persisted) before the swap; a refused op is a ScenarioError naming its line."""
        from .oplog import ReplayRefused, replay

        scenario = _seeded(scenario, seed)
        start = start or scenario.start_instant(utc_now())
        world = self._build(scenario, start)
        ops = [*scenario.replay, *extra]
        if ops or scenario.replay_now is not None:
            try:
                await replay(self, world, ops, scenario.replay_now if not extra else None)
            except ReplayRefused as exc:
                world.webhooks.close()
                where = scenario.replay_line(exc.index) if exc.index < len(scenario.replay) else (
                    f"{scenario.file}: state file op {exc.index - len(scenario.replay) + 1}")
                raise ScenarioError([f"{where}: {exc.message}"]) from None
        self._swap(world)
        self.oplog.rebase(scenario, start, extra, persist=not extra)
        logger.info("scenario %r loaded (%s), seed %s", scenario.name, scenario.file, scenario.seed)

    def reset(self) -> None:
        scenario, start = self.scenario, self.start  # not the old world: _swap must be able to free it
        if scenario.replay or scenario.replay_now is not None:
            _run(self.areset())
            return
        self._swap(self._build(scenario, start))
        self.oplog.rebase(scenario, start)
        logger.info("scenario %r reset, clock back to %s", scenario.name, iso_millis(start))

    async def areset(self) -> None:
        """`reset`; a scenario with `replay:` ops is rebuilt with them replayed."""
        scenario, start = self.scenario, self.start
        await self.aload(scenario, None, start)

    def _swap(self, world: World) -> None:
        """Put a freshly built world in place and let the old one go: its deliveries stop and
        nothing keeps it. With `freeze_gc` the old world is unfrozen and collected (its records hold
        cycles) before the new one is frozen; otherwise the collector frees it in its own time (a
        full pass here would scan all of a test process's objects at every reset). The first world
        is frozen without a pass: a build leaves almost no cyclic garbage (a few hundred objects)
        and the pass over a million generated records cost 0.18 s of the start."""
        old, self._world = self._world, world
        self.faults.clear()
        self.drills.clear()
        if self.sender is not None:
            world.webhooks.start(self.sender)
        replaced = old is not None
        if old is not None:
            old.webhooks.close()
        del old
        if self.freeze_gc:
            if replaced:  # the first world replaces nothing: what is frozen (the imports) stays unscanned
                gc.unfreeze()
                gc.collect()
            gc.freeze()

    def _build(self, scenario: Scenario, start: datetime) -> World:
        enabled = gc.isenabled()
        gc.disable()  # a build only allocates; collecting mid-build costs a third of it
        try:
            return self._build_world(scenario, start)
        finally:
            if enabled:
                gc.enable()

    def _build_world(self, scenario: Scenario, start: datetime) -> World:
        clock = Clock(start, self.clock_speed)
        scheduler = Scheduler()
        events = EventLog()
        events.listeners.extend(self.listeners)
        states: dict[str, Any] = {}
        for provider in self.providers:
            section = scenario.sections.get(provider.key)
            if section is None:
                section = provider.Section()
            ctx = BuildContext(
                seed=scenario.seed,
                start=start,
                scheduler=scheduler,
                events=events,
                now=clock.now,
                provider_key=provider.key,
            )
            states[provider.key] = provider.build(section, ctx)
        webhooks = Dispatcher(self.by_key, scheduler, states, clock.now, seed=scenario.seed,
                              faults=self.faults, drills=self.drills)
        problems = webhook_tenant_problems(scenario.webhooks, self.by_key, states)
        if problems:  # before the swap: a refused scenario leaves the running one as it was
            raise ScenarioError(scenario.problem_lines(problems))
        for spec in scenario.webhooks:
            webhooks.subscribe(spec)
        events.listeners.append(webhooks.on_event)
        scheduler.run_until(clock.now())
        return World(scenario, start, clock, scheduler, events, states, webhooks)

    def listen(self, listener: Listener) -> None:
        """Call `listener` with every domain event, in this world and in every rebuilt one."""
        self.listeners.append(listener)
        if self._world is not None:
            self._world.events.listeners.append(listener)

    @contextlib.asynccontextmanager
    async def delivering(self) -> AsyncIterator[None]:
        """While the app runs (its lifespan): deliver every world's webhooks from this loop."""
        sender = Sender(self.webhook_allow)
        self.sender = sender
        if self._world is not None:
            self._world.webhooks.start(sender)
        try:
            yield
        finally:
            self.sender = None
            if self._world is not None:
                self._world.webhooks.detach()
            await sender.aclose()

    # -- access ----------------------------------------------------------------------------
    @property
    def world(self) -> World:
        if self._world is None:
            raise RuntimeError("no scenario loaded")
        return self._world

    @property
    def scenario(self) -> Scenario:
        return self.world.scenario

    @property
    def start(self) -> datetime:
        return self.world.start

    def state(self, key: str) -> Any:
        """A provider's state, after letting any deadline that has passed take effect."""
        self.sync()
        return self.world.states[key]

    @property
    def events(self) -> EventLog:
        return self.world.events

    def now(self) -> datetime:
        return self.world.clock.now()

    # -- time ------------------------------------------------------------------------------
    def sync(self) -> None:
        """Run due actions; needed per request only when the clock runs by itself."""
        world = self.world
        due = world.scheduler.next_due()
        if due is not None and not world.moving and due <= world.clock.now():
            world.scheduler.run_until(world.clock.now())

    def set_clock(self, when: datetime) -> datetime:
        before = self.world.clock.now()
        self.world.clock.set(when)
        self.world.scheduler.run_until(self.world.clock.now())
        return self._moved(before)

    def advance_clock(self, delta: timedelta) -> datetime:
        before = self.world.clock.now()
        self.world.clock.advance(delta)
        self.world.scheduler.run_until(self.world.clock.now())
        return self._moved(before)

    def _moved(self, before: datetime, events: int | None = None) -> datetime:
        now = self.world.clock.now()
        caused = f", {events} events" if events is not None else ""
        clock_logger.info("clock moved %s -> %s%s", iso_millis(before), iso_millis(now), caused)
        return now

    async def move_clock(self, *, by: timedelta | None = None, to: datetime | None = None) -> ClockMove:
        """Move the clock `by` a duration or `to` an instant, in slices (see the module doc).
        Raises ClockError (backwards), OverflowError, or WorldReplaced (reset or load meanwhile)."""
        async with self._lock():
            world = self.world
            before = world.clock.now()
            target = world.clock.target(by=by, to=to)
            caused: list[Event] = []
            total = 0

            def collect(event: Event) -> None:  # listens only while a slice runs
                nonlocal total
                total += 1
                if len(caused) < ANSWER_EVENTS_LIMIT:
                    caused.append(event)

            world.moving = True
            # with freeze_gc, no full pass during a move: over the records it builds one took 0.8 s
            # under load (scenario of 30k Whop cases); a young pass per slice collects its garbage
            quiet = self.freeze_gc and gc.isenabled()
            if quiet:
                gc.disable()
            try:
                while True:
                    world.events.listeners.append(collect)
                    try:
                        last = world.scheduler.run_for(target, MOVE_SLICE_SECONDS)
                    finally:
                        world.events.listeners.remove(collect)
                    due = world.scheduler.next_due()
                    if due is None or due > target:
                        break
                    if last is not None and last > world.clock.now():
                        world.clock.set(last)
                    if quiet:
                        gc.collect(0)
                    await asyncio.sleep(0)
                    if self._world is not world:
                        raise WorldReplaced(
                            "the scenario was reset or reloaded while the clock moved; the move was abandoned"
                        )
                world.clock.set(max(target, world.clock.now()))
            finally:
                world.moving = False
                if quiet:  # what the move made (records it built; young garbage went each slice) is
                    gc.freeze()  # frozen like the rest of the world; a later reset unfreezes it all
                    gc.enable()
            return ClockMove(self._moved(before, total), caused, total)

    def _lock(self) -> asyncio.Lock:
        """The clock-move lock of the running loop (a Sandbox may outlive a test's loop)."""
        loop = asyncio.get_running_loop()
        if self._move_lock is None or self._move_lock[0] is not loop:
            self._move_lock = (loop, asyncio.Lock())
        return self._move_lock[1]
