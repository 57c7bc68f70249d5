"""Each learner's summary for the cohort pages, derived once per change of what it is made of.

The cohort dashboard and its CSV show every learner's standing and gap. Deriving one means
reading the profile, the followed plan and the logged work and running the gap analysis: a
fraction of a second each, seconds for a cohort, on every view. Here a summary is kept under
its learner's stamp (`store.versions`: profile, plan and progress versions) and the day, so a
view reads the stamps of the whole cohort in three queries and derives only the learners whose
records changed since.

Kept per app (so per worker process), in a bounded least-recently-used map: with several
workers each derives a learner once per change, and nothing is shared but the database.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date

from mlpivot.bootstrap import Services
from mlpivot.engine.cohort import LearnerState
from mlpivot.store.accounts import Account
from mlpivot.store.versions import LearnerVersion, learner_versions

STATES_KEPT = 2048
"""summaries kept per worker: several cohorts of a few hundred learners; a state holds a gap
report and a progress report, some kilobytes"""

Derive = Callable[[Services, Account, date], LearnerState]
StateKey = tuple[int, LearnerVersion, date]


class LearnerStates:
    """A bounded map from (learner, stamp, day) to the learner's derived state."""

    def __init__(self, kept: int = STATES_KEPT) -> None:
        self.kept = kept
        self._states: OrderedDict[StateKey, LearnerState] = OrderedDict()
        self._lock = threading.Lock()
        self._deriving = threading.Lock()
        self.derived = 0
        """how many states were derived rather than reused: what the tests watch"""

    def size(self) -> int:
        return len(self._states)

    def clear(self) -> None:
        """Forget every summary, as a newly started worker has none."""
        with self._lock:
            self._states.clear()

    def states(
        self, services: Services, learners: Sequence[Account], today: date, derive: Derive
    ) -> list[LearnerState]:
        with services.unit_of_work() as session:
            versions = learner_versions(session, [a.id for a in learners])
        keys = [(a.id, versions[a.id], today) for a in learners]
        found = [self._kept(key, a.name) for key, a in zip(keys, learners, strict=True)]
        if all(state is not None for state in found):
            return [state for state in found if state is not None]
        # Mentors opening the dashboard together wait for one of them to derive what changed.
        with self._deriving:
            done: list[LearnerState] = []
            for key, learner in zip(keys, learners, strict=True):
                state = self._kept(key, learner.name)
                if state is None:
                    state = derive(services, learner, today)
                    with self._lock:
                        self.derived += 1
                        self._states[key] = state
                        while len(self._states) > self.kept:
                            self._states.popitem(last=False)
                done.append(state)
            return done

    def _kept(self, key: StateKey, name: str) -> LearnerState | None:
        with self._lock:
            state = self._states.get(key)
            if state is None or state.name != name:
                return None
            self._states.move_to_end(key)
            return state


_per_services: dict[int, LearnerStates] = {}
_per_services_lock = threading.Lock()


def learner_states_of(services: Services) -> LearnerStates:
    """The map that belongs to these services (one app, one database): never shared between
    two apps in one process, as the tests run them, whose learners' ids may coincide.

    Keyed by identity (services are not hashable) and dropped when the services are, so a new
    object that reuses the id never finds the old map.
    """
    with _per_services_lock:
        found = _per_services.get(id(services))
        if found is None:
            found = _per_services[id(services)] = LearnerStates()
            weakref.finalize(services, _per_services.pop, id(services), None)
        return found
