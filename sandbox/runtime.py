"""The running sandbox: one scenario, one clock, one scheduler, one event log, provider states.

Loading builds everything fresh and swaps it in only when the build succeeded, so a bad scenario
never disturbs what is running. Reset rebuilds from the same scenario and the same start instant,
so responses after a reset are byte-identical to those after the load.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .clock import Clock
from .events import EventLog, Listener
from .faults import Faults
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
from .webhooks import Dispatcher


@dataclass
class World:
    """Everything derived from one scenario; replaced whole on load and reset."""

    clock: Clock
    scheduler: Scheduler
    events: EventLog
    states: dict[str, Any]
    webhooks: Dispatcher


class Sandbox:
    def __init__(self, providers: Sequence[Provider], clock_speed: float = 0.0) -> None:
        self.providers = list(providers)
        self.by_key = {p.key: p for p in self.providers}
        self.clock_speed = clock_speed
        self.listeners: list[Listener] = []
        self.scenario: Scenario | None = None
        self.start: datetime | None = None
        self.world: World | None = None
        self.faults = Faults()

    # -- loading ---------------------------------------------------------------------------
    def load_file(self, name_or_path: str | None, seed: int | None = None) -> None:
        self.load(load_scenario_file(name_or_path, self.providers), seed)

    def load_text(self, text: str, file: str = "<request>", seed: int | None = None) -> None:
        self.load(parse_scenario(text, file, self.providers), seed)

    def load(self, scenario: Scenario, seed: int | None = None) -> None:
        if seed is not None:
            scenario.seed = seed
        start = scenario.start_instant(utc_now())
        world = self._build(scenario, start)
        self.scenario, self.start = scenario, start
        self._swap(world)

    def reset(self) -> None:
        assert self.scenario is not None and self.start is not None
        self._swap(self._build(self.scenario, self.start))

    def _swap(self, world: World) -> None:
        """Put a freshly built world in place. Its long-lived records are then frozen out of the
        GC's sight (full collections would rescan hundreds of thousands of them under load); the
        old world's are unfrozen first, so that its garbage is really collected."""
        old, self.world = self.world, world
        self.faults.clear()
        if old is not None:
            del old
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def _build(self, scenario: Scenario, start: datetime) -> World:
        gc.disable()  # a build only allocates; collecting mid-build costs a third of it
        try:
            return self._build_world(scenario, start)
        finally:
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
        webhooks = Dispatcher(self.by_key, scheduler, states, clock.now, seed=scenario.seed)
        problems = webhook_tenant_problems(scenario.webhooks, self.by_key, states)
        if problems:  # before the swap: a refused scenario leaves the running one as it was
            raise ScenarioError(scenario.problem_lines(problems))
        for spec in scenario.webhooks:
            webhooks.subscribe(spec)
        events.listeners.append(webhooks.on_event)
        scheduler.run_until(clock.now())
        return World(clock, scheduler, events, states, webhooks)

    def listen(self, listener: Listener) -> None:
        """Call `listener` with every domain event, in this world and in every rebuilt one."""
        self.listeners.append(listener)
        if self.world is not None:
            self.world.events.listeners.append(listener)

    # -- access ----------------------------------------------------------------------------
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
        if due is not None and due <= world.clock.now():
            world.scheduler.run_until(world.clock.now())

    def set_clock(self, when: datetime) -> datetime:
        self.world.clock.set(when)
        self.world.scheduler.run_until(self.world.clock.now())
        return self.world.clock.now()

    def advance_clock(self, delta: timedelta) -> datetime:
        self.world.clock.advance(delta)
        self.world.scheduler.run_until(self.world.clock.now())
        return self.world.clock.now()
