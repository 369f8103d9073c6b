"""The one kind of error a user can fix: bad usage, or a file nnviz will not use."""


class UserError(Exception):
    """Said to the user in one line naming the file or setting and what is wrong (CLI: exit code 2).

    DataError, DownloadError, CheckpointError and FileRefused are its kinds; anything else that
    escapes is a bug, and shows as one.
    """
