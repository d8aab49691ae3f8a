"""The shape rules of DESIGN: small modules a maintainer can read in one sitting. A new page
or service that grows past them fails here, before review has to say so."""

from pathlib import Path

from tests.conftest import REPO

MAX_SERVICE_LINES = 400
MAX_PAGE_LINES = 250
MAX_TOP_LEVEL_SERVICE_MODULES = 10


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _too_long(folder: str, limit: int) -> list[str]:
    return [f"{p.relative_to(REPO)}: {_lines(p)} lines"
            for p in sorted((Path(REPO) / folder).rglob("*.py")) if _lines(p) > limit]


def test_no_service_module_is_over_400_lines():
    assert _too_long("services", MAX_SERVICE_LINES) == []


def test_no_page_is_over_250_lines():
    assert _too_long("views", MAX_PAGE_LINES) == []


def test_services_are_packages_by_domain():
    loose = [p.name for p in (Path(REPO) / "services").glob("*.py") if p.name != "__init__.py"]
    assert len(loose) <= MAX_TOP_LEVEL_SERVICE_MODULES, loose
