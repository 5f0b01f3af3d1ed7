"""No import cycle anywhere in src/annotator, function-level imports included (issue 16).

The graph is read from the source (tests.import_graph), so an import inside a function counts
as much as one at the top of a module. Imports under `if TYPE_CHECKING:` never run and are left
out.
"""

from __future__ import annotations

from import_graph import all_imports, cycles, imports_of, module_files


def test_cycles_finds_a_cycle_through_a_function_level_relative_import(tmp_path):
    package = tmp_path / "annotator" / "pkg"
    package.mkdir(parents=True)
    (tmp_path / "annotator" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from annotator.pkg.b import thing\n")
    (package / "b.py").write_text("def later():\n    from . import a\n")
    (package / "c.py").write_text("if TYPE_CHECKING:\n    from . import a\nfrom . import b\n")
    modules = module_files(tmp_path)
    found = [i for name, path in modules.items() for i in imports_of(name, path, modules)]
    edges = [(i.importer, i.imported) for i in found if i.is_ours and not i.type_checking]
    assert cycles(edges) == [["annotator.pkg.a", "annotator.pkg.b", "annotator.pkg.a"]]


def test_src_has_no_import_cycle():
    edges = [(i.importer, i.imported) for i in all_imports() if i.is_ours and not i.type_checking]
    found = cycles(edges)
    assert not found, "import cycles in src/annotator:\n" + "\n".join(
        " -> ".join(cycle) for cycle in found
    )
