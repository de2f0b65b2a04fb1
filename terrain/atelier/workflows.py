"""The workshop's two workflows, each one declared table: every state of a message and of a
publication, where it may go and by which named transition.

In the spirit of Takahē's ``stator/graph.py``: each state declares its ``transitions_to``
(transition name → target state) and the table is checked when this module is imported
(every state of the model declared and reachable from a state rows are born in, no unknown
name, terminal states declared and only they without a way out, a terminal state within
reach of every state).

:meth:`Workflow.move` is the only code that writes ``Message.status`` and
``Publication.state`` (``terrain/atelier/tests/test_workflows.py`` scans the code for any
other write): one conditional ``UPDATE … WHERE id IN (…) AND <state> IN (sources)`` with the
caller's extra conditions (a claim token, a lease), so that two workers, or a stale one,
never both move a row. It refuses a transition the table does not declare. The sets the
services and views test (what may be approved, edited, deleted, tried again…) are derived
from the table below, never written again elsewhere.

``docs/workflows.md`` is generated from the tables: ``manage.py workflows_doc``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Model, Value, When
from django.utils import timezone, translation

from terrain.atelier.models import Message, Publication


class WorkflowError(RuntimeError):
    """A transition the table does not declare, or a table that does not hold together."""


@dataclass(frozen=True)
class Step:
    """One state: the transitions that leave it (name → target) and what it is (tags)."""

    transitions_to: Mapping[str, str] = field(default_factory=dict)
    #: Rows may be created in this state (all others are reached by a transition).
    initial: bool = False
    #: Nothing leaves it for another state (it may declare a transition to itself).
    terminal: bool = False
    tags: frozenset[str] = frozenset()


class Workflow:
    """A state table over one column of one model, and the one function that moves rows."""

    def __init__(
        self,
        *,
        name: str,
        model: type[Model],
        field: str,
        steps: Mapping[str, Step],
        tags: Mapping[str, str],
        touch: str | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.field = field
        # Plain strings (the model's choices are str enums): the table prints as it is stored.
        self.steps = {
            str(state): Step(
                transitions_to={name: str(target) for name, target in step.transitions_to.items()},
                initial=step.initial,
                terminal=step.terminal,
                tags=frozenset(step.tags),
            )
            for state, step in steps.items()
        }
        #: Tag → what it means (the documentation shows it).
        self.tags = dict(tags)
        #: A "last changed" column set on every move.
        self.touch = touch
        self.check()

    # --- The table ----------------------------------------------------------------------
    @property
    def states(self) -> list[str]:
        return list(self.steps)

    def label(self, state: str) -> str:
        return str(dict(self.model._meta.get_field(self.field).flatchoices)[state])

    @property
    def transitions(self) -> list[str]:
        names: dict[str, None] = {}
        for step in self.steps.values():
            names.update(dict.fromkeys(step.transitions_to))
        return list(names)

    def sources(self, transition: str) -> frozenset[str]:
        """The states ``transition`` may leave from."""
        found = frozenset(state for state, step in self.steps.items() if transition in step.transitions_to)
        if not found:
            raise WorkflowError(f"{self.name}: no transition is called {transition!r}")
        return found

    def target(self, transition: str, source: str) -> str:
        try:
            return self.steps[source].transitions_to[transition]
        except KeyError:
            raise WorkflowError(f"{self.name}: {transition!r} is not declared from {source!r}") from None

    def allows(self, transition: str, source: str) -> bool:
        step = self.steps.get(source)
        return step is not None and transition in step.transitions_to

    def tagged(self, tag: str) -> frozenset[str]:
        if tag not in self.tags:
            raise WorkflowError(f"{self.name}: no tag is called {tag!r}")
        return frozenset(state for state, step in self.steps.items() if tag in step.tags)

    @property
    def initial(self) -> frozenset[str]:
        return frozenset(state for state, step in self.steps.items() if step.initial)

    @property
    def terminal(self) -> frozenset[str]:
        return frozenset(state for state, step in self.steps.items() if step.terminal)

    def check(self) -> None:
        """Raise WorkflowError unless the table holds together (run at import)."""
        choices = {str(value) for value, _label in self.model._meta.get_field(self.field).flatchoices}
        if set(self.steps) != choices:
            raise WorkflowError(
                f"{self.name}: the table declares {sorted(self.steps)}, the model has {sorted(choices)}"
            )
        for state, step in self.steps.items():
            for transition, target in step.transitions_to.items():
                if not transition.isidentifier():
                    raise WorkflowError(f"{self.name}: {transition!r} is not a transition name")
                if target not in self.steps:
                    raise WorkflowError(f"{self.name}: {state} --{transition}--> {target!r}, an unknown state")
            if unknown := step.tags - set(self.tags):
                raise WorkflowError(f"{self.name}: {state} has unknown tags {sorted(unknown)}")
            leaves = {target for target in step.transitions_to.values() if target != state}
            if step.terminal and leaves:
                raise WorkflowError(f"{self.name}: {state} is terminal but goes to {sorted(leaves)}")
            if not step.terminal and not leaves:
                raise WorkflowError(f"{self.name}: {state} has no way out: declare it terminal")
        if not self.initial:
            raise WorkflowError(f"{self.name}: no state is initial")
        if not self.terminal:
            raise WorkflowError(f"{self.name}: no state is terminal")
        if unreachable := set(self.steps) - self._reach(self.initial):
            raise WorkflowError(f"{self.name}: {sorted(unreachable)} cannot be reached")
        for state in self.steps:
            if not self._reach({state}) & self.terminal:
                raise WorkflowError(f"{self.name}: no terminal state can be reached from {state}")

    def _reach(self, start: Iterable[str]) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            for target in self.steps[todo.pop()].transitions_to.values():
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    # --- Moving rows ------------------------------------------------------------------------
    def move(
        self,
        *,
        ids: Collection[int | Model],
        transition: str,
        sources: Collection[str] | None = None,
        where: Mapping[str, Any] | None = None,
        each: Mapping[int, Mapping[str, Any]] | None = None,
        **values: Any,
    ) -> int:
        """Move the rows ``ids`` that are in one of ``sources`` by ``transition``, in one statement.

        ``sources`` (the transition's declared ones by default) must all be declared for
        ``transition``, else WorkflowError: the table is the only way. ``where`` adds
        conditions (lookups, e.g. the claim token); ``values`` are written with the state.
        Returns how many rows moved (0: they were elsewhere, or someone moved them first).

        ``ids`` may be model instances (rows the caller locked): when they all moved, their
        new state and values are set on them too.

        ``each`` (id → values) writes different values per row: one statement run for each
        row with ``executemany`` (no query built per row); ``where`` is then equality only.
        """
        declared = self.sources(transition)
        sources = declared if sources is None else frozenset(sources)
        if not sources:
            raise WorkflowError(f"{self.name}: {transition!r} from no state")
        if undeclared := sources - declared:
            raise WorkflowError(f"{self.name}: {transition!r} is not declared from {sorted(undeclared)}")
        if self.field in values or any(self.field in row for row in (each or {}).values()):
            raise WorkflowError(f"{self.name}: the {self.field} is the transition's to write")
        if self.touch and self.touch not in values:
            values[self.touch] = timezone.now()
        instances = [row for row in ids if isinstance(row, Model)]
        ids = [getattr(row, "pk", row) for row in ids]
        if each is not None:
            moved = self._move_each(each, transition=transition, sources=sources, where=where or {}, values=values)
        else:
            moved = self._move(ids, transition=transition, sources=sources, where=where, values=values)
        if instances and moved == len(instances):
            targets = {source: self.target(transition, source) for source in sources}
            for instance in instances:
                # The state read, or (a copy read earlier) the only one the transition leads to.
                target = targets.get(getattr(instance, self.field)) or next(iter(set(targets.values())))
                self._set(instance, target, {**values, **(each or {}).get(instance.pk, {})})
        return moved

    def _set(self, instance: Model, target: str, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            if not hasattr(value, "resolve_expression"):  # an F() is left for refresh_from_db
                setattr(instance, name, value)
        setattr(instance, self.field, target)

    def _move(self, ids: list[int], *, transition: str, sources: frozenset[str], where, values) -> int:
        if not ids:
            return 0
        targets = {source: self.target(transition, source) for source in sources}
        if len(set(targets.values())) == 1:
            new: Any = next(iter(targets.values()))
        else:
            new = Case(
                *(When(**{self.field: source}, then=Value(target)) for source, target in sorted(targets.items())),
                output_field=CharField(),
            )
        manager = self.model._base_manager
        rows = manager.filter(pk=ids[0]) if len(ids) == 1 else manager.filter(pk__in=ids)
        rows = rows.filter(**{self.field: next(iter(sources))} if len(sources) == 1 else {f"{self.field}__in": sources})
        if where:
            rows = rows.filter(**where)
        return rows.update(**{self.field: new}, **values)

    def _move_each(self, each, *, transition: str, sources: frozenset[str], where, values) -> int:
        if not each:
            return 0
        targets = {self.target(transition, source) for source in sources}
        if len(targets) != 1:
            raise WorkflowError(f"{self.name}: per-row values need one target, {transition!r} has {sorted(targets)}")
        opts = self.model._meta
        qn = connection.ops.quote_name
        fixed = [(opts.get_field(name), value) for name, value in values.items()]
        varying = [opts.get_field(name) for name in next(iter(each.values()))]
        conditions = [(opts.get_field(name), value) for name, value in where.items()]
        written = [opts.get_field(self.field), *(f for f, _v in fixed), *varying]
        assignments = ", ".join(f"{qn(f.column)} = %s" for f in written)
        marks = ", ".join(["%s"] * len(sources))
        tests = "".join(f" AND {qn(f.column)} = %s" for f, _v in conditions)
        sql = (
            f"UPDATE {qn(opts.db_table)} SET {assignments}"  # noqa: S608 (names from the model only)
            f" WHERE {qn(opts.pk.column)} = %s AND {qn(opts.get_field(self.field).column)} IN ({marks}){tests}"
        )
        head = [targets.pop(), *(f.get_db_prep_save(v, connection) for f, v in fixed)]
        tail = [*sorted(sources), *(f.get_db_prep_save(v, connection) for f, v in conditions)]
        params = [
            [*head, *(f.get_db_prep_save(row[f.name], connection) for f in varying), pk, *tail]
            for pk, row in each.items()
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
            return cursor.rowcount

    def move_one(self, instance: Model, transition: str, **values: Any) -> bool:
        """Move one row read from the database (locked, in a service) from the state it was read in.

        Sets the new state and ``values`` on ``instance`` too. False if the row had moved meanwhile.
        """
        source = getattr(instance, self.field)
        self.target(transition, source)  # undeclared: refused before any query
        return bool(self.move(ids=[instance], transition=transition, sources=[source], **values))

    # --- Documentation ----------------------------------------------------------------------
    def diagram(self) -> str:
        """The table as a Mermaid state diagram (GitHub and most Markdown viewers draw it)."""
        lines = ["stateDiagram-v2"]
        lines += [f"    [*] --> {state}" for state in self.steps if self.steps[state].initial]
        for state, step in self.steps.items():
            by_target: dict[str, list[str]] = {}
            for transition, target in step.transitions_to.items():
                by_target.setdefault(target, []).append(transition)
            lines += [f"    {state} --> {target}: {', '.join(names)}" for target, names in by_target.items()]
        lines += [f"    {state} --> [*]" for state in self.steps if self.steps[state].terminal]
        return "\n".join(lines)

    def markdown(self) -> str:
        """The documentation of the workflow: its diagram, its states, its transitions and tags."""
        model = f"{self.model.__name__}.{self.field}"
        out = [f"## {self.name} (`{model}`)", "", "```mermaid", self.diagram(), "```", ""]
        out += ["| State | Label | Born here | Terminal | Transitions | Tags |", "|---|---|---|---|---|---|"]
        for state, step in self.steps.items():
            moves = ", ".join(f"{name} → {target}" for name, target in step.transitions_to.items()) or "—"
            out.append(
                f"| `{state}` | {self.label(state)} | {'yes' if step.initial else ''} | "
                f"{'yes' if step.terminal else ''} | {moves} | {', '.join(sorted(step.tags))} |"
            )
        out += ["", "| Tag | Meaning | States |", "|---|---|---|"]
        for tag, meaning in self.tags.items():
            out.append(f"| `{tag}` | {meaning} | {', '.join(f'`{s}`' for s in self.steps if s in self.tagged(tag))} |")
        return "\n".join(out) + "\n"


# --- The message: writing, approval, calendar ------------------------------------------------
M = Message.Status

MESSAGE = Workflow(
    name="Message",
    model=Message,
    field="status",
    touch="updated_at",
    tags={
        "editable": "its text, images and accounts may still change",
        "deletable": "its author or a manager may delete it",
        "on_calendar": "it holds its time on the calendar (and its images are served to the networks)",
    },
    steps={
        M.DRAFT: Step(
            initial=True,
            tags=frozenset({"editable", "deletable"}),
            transitions_to={
                "submit": M.SUBMITTED,
                "approve": M.APPROVED,
                # When the strategy needs no approval, an approver schedules it straight away.
                "schedule_unapproved": M.SCHEDULED,
            },
        ),
        M.SUBMITTED: Step(
            tags=frozenset({"editable", "deletable"}),
            transitions_to={
                "approve": M.APPROVED,
                "request_changes": M.CHANGES_REQUESTED,
                "schedule_unapproved": M.SCHEDULED,
            },
        ),
        M.CHANGES_REQUESTED: Step(
            tags=frozenset({"editable", "deletable"}),
            transitions_to={"submit": M.SUBMITTED, "approve": M.APPROVED, "schedule_unapproved": M.SCHEDULED},
        ),
        M.APPROVED: Step(
            # An occurrence of a series is born approved: a copy of approved words.
            initial=True,
            tags=frozenset({"editable", "deletable"}),
            transitions_to={
                "schedule": M.SCHEDULED,
                "request_changes": M.CHANGES_REQUESTED,
                # A change by someone who cannot approve: nobody publishes words nobody approved.
                "reopen": M.DRAFT,
                "cancel": M.CANCELLED,
                # Taken off the calendar while a publication was already on its way: it settles.
                "settle_published": M.PUBLISHED,
                "settle_failed": M.FAILED,
            },
        ),
        M.SCHEDULED: Step(
            tags=frozenset({"editable", "on_calendar"}),
            transitions_to={
                "schedule": M.SCHEDULED,  # rescheduled
                "unschedule": M.APPROVED,
                "request_changes": M.CHANGES_REQUESTED,
                "reopen": M.DRAFT,
                "cancel": M.CANCELLED,
                "settle_published": M.PUBLISHED,
                "settle_failed": M.FAILED,
            },
        ),
        M.PUBLISHED: Step(
            terminal=True,
            tags=frozenset({"on_calendar"}),
            transitions_to={
                # Out on some accounts, failed on others: the failed part is tried again, and settles again.
                "retry": M.PUBLISHED,
                "settle_published": M.PUBLISHED,
            },
        ),
        M.FAILED: Step(
            tags=frozenset({"editable", "on_calendar"}),
            transitions_to={
                "schedule": M.SCHEDULED,
                "retry": M.SCHEDULED,
                "reopen": M.DRAFT,
                "cancel": M.CANCELLED,
            },
        ),
        M.CANCELLED: Step(terminal=True),
    },
)

# --- The publication: one message on one account, run by the engine ---------------------------
P = Publication.State

PUBLICATION = Workflow(
    name="Publication",
    model=Publication,
    field="state",
    tags={
        "running": "the engine runs it (the workers' partial index covers these states)",
        "under_way": "it may be out: its message can no longer change, nor be deleted",
    },
    steps={
        P.PENDING: Step(
            initial=True,
            tags=frozenset({"running"}),
            transitions_to={
                "claim": P.PUBLISHING,
                "reschedule": P.PENDING,  # the message moved on the calendar
                "cancel": P.CANCELLED,  # unscheduled, or its account taken off the message
            },
        ),
        P.PUBLISHING: Step(
            tags=frozenset({"running", "under_way"}),
            transitions_to={
                "claim": P.PUBLISHING,  # its worker died during the call: taken over once the lease passed
                "record_published": P.PUBLISHED,
                "fail": P.FAILED,
                "retry": P.PENDING,  # a transient error: nothing went out
                "check": P.CHECKING,  # the request may have reached the network
                "release": P.PENDING,  # not sent (rate window full, claim running out): not an attempt
            },
        ),
        P.CHECKING: Step(
            tags=frozenset({"running", "under_way"}),
            transitions_to={"claim": P.PUBLISHING},  # the network is searched for the marker before any call
        ),
        P.PUBLISHED: Step(terminal=True, tags=frozenset({"under_way"})),
        P.FAILED: Step(
            transitions_to={
                "send_again": P.PENDING,  # scheduled again, or tried again
                "check_again": P.CHECKING,  # the same, after an answer that never came
            }
        ),
        P.CANCELLED: Step(transitions_to={"send_again": P.PENDING, "check_again": P.CHECKING}),
    },
)

WORKFLOWS = (MESSAGE, PUBLICATION)


def document() -> str:
    """``docs/workflows.md``: every workflow's diagram and table, generated (``manage.py workflows_doc``)."""
    head = [
        "# The workshop's workflows",
        "",
        "<!-- Generated from terrain/atelier/workflows.py by `python manage.py workflows_doc`: do not edit."
        " A test fails when this page and the tables differ. -->",
        "",
        "Each workflow is one table in `terrain/atelier/workflows.py`: every state declares the named",
        "transitions that leave it. `Workflow.move` performs every change of state with one conditional",
        "`UPDATE … WHERE id IN (…) AND <state> IN (<the transition's sources>)` (plus the claim token or",
        "the lease where the engine needs them) and refuses a transition the table does not declare.",
        "No other code writes these columns (`terrain/atelier/tests/test_workflows.py` scans for it).",
        "",
        "",
    ]
    with translation.override("en"):  # the same page whatever the language of the shell
        return "\n".join(head) + "\n".join(workflow.markdown() for workflow in WORKFLOWS)


# --- The sets the services and views test, derived from the tables ----------------------------
#: Statuses from which an approver may approve.
APPROVABLE = MESSAGE.sources("approve")
#: A writer may submit it for approval.
SUBMITTABLE = MESSAGE.sources("submit")
#: An approver may send it back to its author.
CHANGES_REQUESTABLE = MESSAGE.sources("request_changes")
#: It may go on the calendar (again); a failed one retries its failed publications, never the published ones.
SCHEDULABLE = MESSAGE.sources("schedule")
#: It may go on the calendar without approval, when the strategy needs none.
SCHEDULABLE_UNAPPROVED = MESSAGE.sources("schedule_unapproved")
#: Approved words: a change by someone who cannot approve sends them back to draft.
APPROVED_WORDS = MESSAGE.sources("reopen")
#: Messages whose failed publications may be tried again at once (published: partly, on the other accounts).
RETRIABLE = MESSAGE.sources("retry")
#: It may be taken off the calendar.
UNSCHEDULABLE = MESSAGE.sources("unschedule")
#: The occurrences of a series that ending it cancels (when still to come and untouched).
CANCELLABLE = MESSAGE.sources("cancel")
#: A message may be corrected (and scheduled again) as long as nothing of it went out.
EDITABLE = MESSAGE.tagged("editable")
#: A message may be deleted until it goes on the calendar (take it off first) or out.
DELETABLE = MESSAGE.tagged("deletable")
#: Statuses that hold a slot of the calendar.
ON_CALENDAR = MESSAGE.tagged("on_calendar")
#: Publications the engine has still to run.
RUNNING = PUBLICATION.tagged("running")
#: Publications on their way or out: the message can no longer change under them.
UNDER_WAY = PUBLICATION.tagged("under_way")
