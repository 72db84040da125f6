"""What the journeys share: staff logins, the console watch, axe-core, overflow."""

from pathlib import Path

from tests import factories

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"  # axe-core 4.14.1 from npm, MPL-2.0 (vendor/ has the licence)
PASSWORD = "journey-pass-123"
WIDTHS = (1280, 1024, 390)


def staff(role: str, username: str, name: str):
    """A login in ``role`` with a byline person of the same name, and a known password."""
    first, last = name.split(" ", 1)
    user = factories.user(role, username=username, first_name=first, last_name=last)
    user.set_password(PASSWORD)
    user.save()
    factories.person(name, user=user)
    return user


def login(page, base: str, username: str):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/desk/")


def watch_console(page) -> list[str]:
    """Collect the page's script errors and refused resources (CSP, 404) as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is now."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # the DevTools protocol: no CSP in the way
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
