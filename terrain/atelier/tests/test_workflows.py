"""The workshop's workflows as tables: the tables hold together, one function moves rows, and
nothing else in the code writes ``Message.status`` or ``Publication.state``."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from terrain.atelier.models import Message, Publication
from terrain.atelier.tests.plan_factories import make_account, make_message
from terrain.atelier.workflows import (
    MESSAGE,
    PUBLICATION,
    RUNNING,
    WORKFLOWS,
    Step,
    Workflow,
    WorkflowError,
    document,
)

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "workflows.md"


# --- The tables ------------------------------------------------------------------------------
def _publication_table(**changes) -> dict:
    steps = {state: PUBLICATION.steps[state] for state in PUBLICATION.states}
    steps.update(changes)
    return steps


def _workflow(steps) -> Workflow:
    return Workflow(name="Test", model=Publication, field="state", steps=steps, tags=PUBLICATION.tags)


def test_the_real_tables_hold_together():
    for workflow in WORKFLOWS:
        workflow.check()
        assert workflow.initial and workflow.terminal


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"checking": Step(transitions_to={"claim": "publishing", "x": "nowhere"})}, "unknown state"),
        ({"published": Step(terminal=True, transitions_to={"undo": "pending"})}, "terminal but goes"),
        ({"failed": Step()}, "no way out"),
        ({"pending": Step(transitions_to={"claim": "publishing"})}, "no state is initial"),
        ({"checking": Step(transitions_to={"claim": "publishing"}, tags=frozenset({"nice"}))}, "unknown tags"),
    ],
)
def test_a_table_that_does_not_hold_together_is_refused(changes, complaint):
    with pytest.raises(WorkflowError, match=complaint):
        _workflow(_publication_table(**changes))


def test_a_state_nobody_reaches_is_refused():
    # Nothing goes to "checking" any more.
    steps = _publication_table(
        publishing=Step(transitions_to={"record_published": "published", "fail": "failed"}),
        failed=Step(transitions_to={"send_again": "pending"}),
        cancelled=Step(transitions_to={"send_again": "pending"}),
    )
    with pytest.raises(WorkflowError, match=r"\['checking'\] cannot be reached"):
        _workflow(steps)


def test_a_state_missing_from_the_table_is_refused():
    steps = _publication_table()
    del steps["cancelled"]
    with pytest.raises(WorkflowError, match="the model has"):
        _workflow(steps)


def test_a_cycle_with_no_way_to_an_end_is_refused():
    steps = _publication_table(
        failed=Step(transitions_to={"again": "cancelled"}),
        cancelled=Step(transitions_to={"again": "failed"}),
        publishing=Step(transitions_to={"record_published": "published", "fail": "failed", "check": "checking"}),
    )
    with pytest.raises(WorkflowError, match="no terminal state can be reached"):
        _workflow(steps)


def test_the_engines_partial_index_covers_the_running_states():
    (index,) = [i for i in Publication._meta.indexes if i.name == "atelier_pub_due_idx"]
    ((lookup, states),) = index.condition.children
    assert lookup == "state__in"
    assert set(states) == RUNNING


def test_the_documented_diagram_is_the_tables():
    """``docs/workflows.md`` is generated: ``manage.py workflows_doc`` writes it again."""
    assert DOC.read_text(encoding="utf-8") == document(), "run: python manage.py workflows_doc"


def test_the_doc_command_writes_and_checks(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "workflows.md"
    call_command("workflows_doc", path=str(target))
    assert target.read_text(encoding="utf-8") == document()
    target.write_text("stale", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("workflows_doc", path=str(target), check=True)


# --- Moving rows ------------------------------------------------------------------------------
@pytest.fixture
def account(world):
    return make_account(world.section)


def _publication(message, account, **fields):
    now = timezone.now()
    return Publication.objects.create(message=message, account=account, due_at=now, next_try_at=now, **fields)


@pytest.mark.django_db
class TestMove:
    def test_an_undeclared_transition_is_refused_before_any_write(self, world, django_assert_num_queries):
        message = make_message(world.section, status=Message.Status.CANCELLED)
        with django_assert_num_queries(0), pytest.raises(WorkflowError, match="not declared"):
            MESSAGE.move_one(message, "approve")
        with django_assert_num_queries(0), pytest.raises(WorkflowError, match="not declared"):
            MESSAGE.move(ids=[message.pk], transition="approve", sources=[Message.Status.PUBLISHED])
        with pytest.raises(WorkflowError, match="no transition is called"):
            MESSAGE.move(ids=[message.pk], transition="publish_twice")
        with pytest.raises(WorkflowError, match="transition's to write"):
            MESSAGE.move(ids=[message.pk], transition="submit", status=Message.Status.PUBLISHED)
        message.refresh_from_db()
        assert message.status == Message.Status.CANCELLED

    def test_only_rows_in_a_declared_source_move(self, world):
        draft = make_message(world.section, status=Message.Status.DRAFT)
        cancelled = make_message(world.section, status=Message.Status.CANCELLED)
        assert MESSAGE.move(ids=[draft.pk, cancelled.pk], transition="submit") == 1
        assert dict(Message.objects.values_list("pk", "status")) == {
            draft.pk: Message.Status.SUBMITTED,
            cancelled.pk: Message.Status.CANCELLED,
        }

    def test_a_row_moved_meanwhile_is_not_moved_again(self, world):
        message = make_message(world.section, status=Message.Status.DRAFT)
        stale = Message.objects.get(pk=message.pk)
        assert MESSAGE.move_one(message, "submit")
        assert not MESSAGE.move_one(stale, "submit")  # read as a draft, it is submitted now
        assert stale.status == Message.Status.DRAFT  # the copy is not changed either

    def test_one_statement_moves_each_source_to_its_own_target(self, world, django_assert_num_queries):
        failed = make_message(world.section, status=Message.Status.FAILED)
        published = make_message(world.section, status=Message.Status.PUBLISHED)
        with django_assert_num_queries(1):
            assert MESSAGE.move(ids=[failed, published], transition="retry") == 2
        assert (failed.status, published.status) == (Message.Status.SCHEDULED, Message.Status.PUBLISHED)
        assert Message.objects.get(pk=failed.pk).status == Message.Status.SCHEDULED

    def test_the_claim_token_keeps_a_stale_worker_out(self, world, account):
        publication = _publication(make_message(world.section), account)
        assert PUBLICATION.move(ids=[publication.pk], transition="claim", claim_token="first")
        # Another worker took it over; the first one's result must not land.
        assert PUBLICATION.move(ids=[publication.pk], transition="claim", claim_token="second")
        moved = PUBLICATION.move(
            ids=[],
            transition="record_published",
            where={"claim_token": "first"},
            each={publication.pk: {"remote_id": "1", "remote_url": "", "published_at": timezone.now()}},
        )
        assert moved == 0
        publication.refresh_from_db()
        assert (publication.state, publication.remote_id) == (Publication.State.PUBLISHING, "")

    def test_per_row_values_land_in_one_statement_each(self, world, account, django_assert_num_queries):
        other = make_account(world.section, handle="@autre@example.org")
        message = make_message(world.section)
        first, second = _publication(message, account), _publication(message, other)
        PUBLICATION.move(ids=[first, second], transition="claim", claim_token="t")
        assert first.state == Publication.State.PUBLISHING
        at = timezone.now() - timedelta(minutes=1)
        with django_assert_num_queries(1):
            moved = PUBLICATION.move(
                ids=[first, second],
                transition="record_published",
                where={"claim_token": "t"},
                each={
                    first.pk: {"remote_id": "a", "remote_url": "https://x/a", "published_at": at},
                    second.pk: {"remote_id": "b", "remote_url": "https://x/b", "published_at": at},
                },
                claimed_until=None,
            )
        assert moved == 2
        rows = dict(Publication.objects.values_list("pk", "remote_id"))
        assert rows == {first.pk: "a", second.pk: "b"}
        assert set(Publication.objects.values_list("state", flat=True)) == {Publication.State.PUBLISHED}
        assert Publication.objects.get(pk=first.pk).published_at == at
        assert first.state == Publication.State.PUBLISHED and first.remote_id == "a"


# --- Nobody else writes the states -------------------------------------------------------------
#: The columns the workflows own, and the model classes they belong to.
FIELDS = {workflow.field for workflow in WORKFLOWS}
OURS = {workflow.model.__name__ for workflow in WORKFLOWS}
WRITERS = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}
CREATORS = {"create", "get_or_create", "bulk_create"}
SQL_SET = re.compile(r"\bSET\s(?:(?!\bWHERE\b).)*\b(?:state|status)\s*=", re.IGNORECASE | re.DOTALL)


def _chain(node: ast.AST) -> list[str]:
    """``Message.Status.DRAFT`` → ["Message", "Status", "DRAFT"]; a call's receiver is followed too."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return []


class _Writes(ast.NodeVisitor):
    """Find the writes of a ``status``/``state`` column that may be Message's or Publication's.

    A write is let through only when it is shown to be another model's (its receiver or its
    value names another model class, as ``ConnectedAccount.Status.ACTIVE``), or when a row is
    created in a state the table declares initial (``Message.objects.create(status=Message.Status.DRAFT)``).
    """

    def __init__(self, tree: ast.Module) -> None:
        # Module-level aliases: ``State = Publication.State`` makes ``State.X`` Publication's.
        self.aliases: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                chain = _chain(node.value)
                if chain and chain[0][:1].isupper():
                    self.aliases[node.targets[0].id] = chain[0]
        self.found: list[int] = []

    def _root(self, node: ast.AST) -> str | None:
        chain = _chain(node)
        if not chain:
            return None
        return self.aliases.get(chain[0], chain[0])

    def _others(self, node: ast.AST | None) -> bool:
        """The expression names a model class that is not one of ours (so the write is its)."""
        if node is None:
            return False
        roots = {self._root(n) for n in ast.walk(node) if isinstance(n, ast.Attribute | ast.Name)}
        roots = {root for root in roots if root and root[:1].isupper()}
        return bool(roots) and not roots & OURS

    def _ours(self, node: ast.AST) -> bool:
        """The expression names one of our models' states (``State.PENDING``, ``"published"``…)."""
        for part in ast.walk(node):
            if isinstance(part, ast.Attribute | ast.Name) and self._root(part) in OURS:
                return True
            if isinstance(part, ast.Constant) and any(part.value in w.states for w in WORKFLOWS):
                return True
        return False

    def _initial(self, node: ast.AST) -> bool:
        chain = _chain(node)
        if len(chain) != 3 or self.aliases.get(chain[0], chain[0]) not in OURS:
            return False
        workflow = next(w for w in WORKFLOWS if w.model.__name__ == self.aliases.get(chain[0], chain[0]))
        choices = getattr(workflow.model, chain[1], None)
        member = getattr(choices, chain[2], None)
        return member is not None and str(member) in workflow.initial

    def _flag(self, node: ast.AST) -> None:
        self.found.append(node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        receiver = func.value if isinstance(func, ast.Attribute) else None
        constructor = name in OURS
        if name in WRITERS or constructor:
            for keyword in node.keywords:
                values = []
                if keyword.arg in FIELDS:
                    values = [keyword.value]
                elif keyword.arg in {"defaults", "create_defaults"} and isinstance(keyword.value, ast.Dict):
                    values = [
                        v
                        for k, v in zip(keyword.value.keys, keyword.value.values, strict=True)
                        if isinstance(k, ast.Constant) and k.value in FIELDS
                    ]
                for value in values:
                    if self._others(value) or (receiver is not None and self._others(receiver)):
                        continue
                    if (constructor or name in CREATORS) and self._initial(value):
                        continue
                    self._flag(node)
        fields = []
        if name == "bulk_update":
            fields = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "fields")]
        elif name == "setattr" and len(node.args) >= 2:
            fields = [ast.List(elts=[node.args[1]])]
        for listed in fields:
            constants = {e.value for e in getattr(listed, "elts", []) if isinstance(e, ast.Constant)}
            if constants & FIELDS and not (receiver is not None and self._others(receiver)):
                self._flag(node)
        self.generic_visit(node)

    def _assigned(self, targets, value, node) -> None:
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in FIELDS and not self._others(value):
                self._flag(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assigned(node.targets, node.value, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assigned([node.target], node.value, node)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        # Values gathered for a later ``.update(**values)``.
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in FIELDS and self._ours(value):
                self._flag(node)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and SQL_SET.search(node.value):
            self._flag(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        if SQL_SET.search(text):
            self._flag(node)
        self.generic_visit(node)


def _touches_the_workshop(tree: ast.Module) -> bool:
    """Only code that imports the workshop can reach its models (``networks/`` must not, for one)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("terrain.atelier"):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("terrain.atelier") for a in node.names):
            return True
    return False


def state_writes(source: str) -> list[int]:
    """The lines of ``source`` that write a workflow's state column."""
    tree = ast.parse(source)
    finder = _Writes(tree)
    finder.visit(tree)
    return sorted(set(finder.found))


def _sources():
    for path in sorted([*ROOT.joinpath("terrain").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py")]):
        relative = path.relative_to(ROOT)
        parts = set(relative.parts)
        if parts & {"tests", "migrations"} or path.name == "conftest.py" or path.name == "workflows.py":
            continue
        source = path.read_text(encoding="utf-8")
        if relative.parts[:2] == ("terrain", "atelier") or _touches_the_workshop(ast.parse(source)):
            yield relative, source


def test_nothing_but_the_workflows_writes_a_state():
    """Every change of ``Message.status`` and ``Publication.state`` goes through ``Workflow.move``
    (terrain/atelier/workflows.py); tests and migrations may write them to set up a case."""
    found = {str(path): lines for path, source in _sources() if (lines := state_writes(source))}
    assert found == {}, "write states only with terrain.atelier.workflows (MESSAGE/PUBLICATION.move)"


WRITES = [
    "Message.objects.filter(pk=1).update(status=Message.Status.DRAFT)",
    "message.status = Message.Status.SCHEDULED",
    "message.status = status",
    "Message.objects.bulk_update(messages, ['status', 'published_at'])",
    "State = Publication.State\nqueryset.update(state=State.PENDING)",
    "rows.update(state=state, claimed_until=None)",
    "Publication.objects.create(message=m, account=a, state=Publication.State.PUBLISHED)",
    "Publication(message=m, state='failed')",
    "Message.objects.get_or_create(pk=1, defaults={'status': Message.Status.SCHEDULED})",
    "State = Publication.State\ntaken = {'state': State.PUBLISHING, 'claim_token': token}\nrows.update(**taken)",
    "setattr(publication, 'state', 'published')",
    "cursor.execute('UPDATE atelier_publication SET state = %s, remote_id = %s WHERE id = %s', params)",
    "cursor.executemany(f'UPDATE {table} SET remote_url = %s, state = %s WHERE id = %s', rows)",
]
NOT_WRITES = [
    "Message.objects.filter(status=Message.Status.DRAFT).count()",
    "Message.objects.create(structure=s, status=Message.Status.DRAFT)",
    "Publication(message=m, account=a, state=Publication.State.PENDING)",
    "account.status = ConnectedAccount.Status.BROKEN",
    "Status = ConnectedAccount.Status\naccount.status = Status.DISCONNECTED",
    "ConnectedAccount.objects.filter(pk=1).update(status=ConnectedAccount.Status.ACTIVE)",
    "Subscriber.objects.filter(pk=1).update(status=Subscriber.Status.UNSUBSCRIBED)",
    "subscriber.status = Subscriber.Status.PENDING\nsubscriber.save(update_fields=['status'])",
    "render(request, 'x.html', context, status=400)",
    "status = 422",
    "client.post(url, data={'status': f'Peer alone [bench-{n}]'})",
    "cursor.execute('UPDATE t SET window_count = window_count + 1 WHERE state = %s', [1])",
]


@pytest.mark.parametrize("source", WRITES)
def test_the_scan_finds_a_write(source):
    assert state_writes(source)


@pytest.mark.parametrize("source", NOT_WRITES)
def test_the_scan_lets_other_code_through(source):
    assert state_writes(source) == []
