"""The one error hierarchy. Every message says what went wrong and what to do next."""


class ArchiveError(Exception):
    """Base class for every error this package raises on purpose."""


class ExtractionError(ArchiveError):
    """One file could not be read; the batch it belongs to goes on."""


class UnsupportedFormat(ExtractionError):
    """No extractor handles this kind of file."""


class EncryptedDocument(ExtractionError):
    """The file needs a password to be read."""


class FileTooLarge(ExtractionError):
    """The file is over the size budget."""


class MetadataError(ArchiveError):
    """A metadata value given by a person is not valid (a date, an agency, a type)."""


class QueryError(ArchiveError):
    """A search query or filter cannot be understood."""


class QuerySyntaxError(QueryError):
    """A query's syntax cannot be read (a field with no value, what Whoosh's parser refuses):
    a search falls back to its words, a command that changes records refuses it."""


class DocumentNotFound(ArchiveError):
    """No document has this id."""


class IndexBusy(ArchiveError):
    """Another process is writing to the index."""


class StorageError(ArchiveError):
    """A folder cannot be written: its permissions, a full disk, a read-only mount."""


class IndexDamaged(ArchiveError):
    """A file of the index is missing or cut short: rebuild it from the archive."""


class Overloaded(ArchiveError):
    """The viewer has as many costly searches under way as it takes: try again shortly."""
