"""URL converters. ``id`` is a database id small enough for a 64-bit column, so an absurd id in a
path is a 404 rather than an overflow error in the database driver."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
