"""CommitWatch: an idle SQLite project costs one PRAGMA per check, no aggregate query; any
commit by another connection (another process, a CLI import) is noticed."""

from __future__ import annotations

from annotator.core.activity import CommitWatch, poll_activity
from annotator.core.project import Project


def test_only_commits_by_others_move_the_watch(tmp_path):
    target = tmp_path / "p.db"
    with Project.create(target) as project:
        watch = CommitWatch(project.read_engine)
        try:
            assert watch.moved()  # the first look
            assert not watch.moved()
            with Project.open(target) as other:
                other.add_document("Baykar sold the TB2 to Azerbaijan.")
            assert watch.moved()
            assert not watch.moved()
            project.add_document("Pakistan ordered the JF-17C Thunder.")  # this process, too
            assert watch.moved()
        finally:
            watch.close()


def test_an_idle_project_is_not_queried_and_a_change_is_found(tmp_path, monkeypatch):
    target = tmp_path / "p.db"
    with Project.create(target) as project:
        doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
        watch = CommitWatch(project.read_engine)
        try:
            seen, changed = poll_activity(project, None, watch)
            queries = []
            real = project.change_marker
            monkeypatch.setattr(project, "change_marker", lambda: queries.append(1) or real())
            assert poll_activity(project, seen, watch) == (seen, frozenset())
            assert queries == []
            with Project.open(target) as other:
                other.add_span(doc, "ana", "ACTOR", 0, 6)
            _, changed = poll_activity(project, seen, watch)
            assert changed == {doc} and queries == [1]
        finally:
            watch.close()
