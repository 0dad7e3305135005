"""WhiteNoise, its table of static files read once per process.

WhiteNoise lists and stats every static file each time its middleware is built. A server builds it once, but
each Django test client builds its own middleware chain, so the test suite re-read the same ~450 files for every
client (40 ms each, measured; a few per cent of the suite's time). The files do not change while a process runs (with
`DEBUG` on, WhiteNoise's autorefresh looks each request up afresh and never reaches these methods), so the table
of a directory or of the finders is read once and reused.
"""

from typing import Any, ClassVar

from whitenoise.middleware import WhiteNoiseMiddleware as _WhiteNoiseMiddleware


class WhiteNoiseMiddleware(_WhiteNoiseMiddleware):
    _tables: ClassVar[dict[tuple, dict[str, Any]]] = {}
    files: dict[str, Any]  # WhiteNoise's url → file table (the library is untyped)

    def update_files_dictionary(self, root, prefix):
        self._read_once(
            ("dir", root, prefix),
            lambda: super(WhiteNoiseMiddleware, self).update_files_dictionary(root, prefix),
        )

    def add_files_from_finders(self):
        self._read_once(("finders", self.static_prefix), super().add_files_from_finders)

    def _read_once(self, key: tuple, read) -> None:
        table = self._tables.get(key)
        if table is None:
            kept: dict[str, Any] = self.files
            self.files = {}
            try:
                read()
                table = self._tables[key] = self.files
            finally:
                self.files = kept
        # later tables overwrite earlier ones, as WhiteNoise's own reads do
        self.files.update(table)
