"""Sources: find and read the site's article, entity and static files."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import markdown_it

from generator.body import Skeleton
from generator.cache import DiskCache
from generator.cache import key as cache_key
from generator.config import CONFIG_FILE, DEFAULT_ARTICLE_DIRS, Config
from generator.model import Article, Diagnostic, SourceFile

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
SIDECAR_SUFFIXES = (".meta.toml", ".meta.yaml", ".meta.yml")
IGNORED_PREFIXES = (".", "_", "#")
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".bak")


# What a file's status says of it (size, modification and change times in ns, inode),
# and the digest of its text then.
Signature = tuple[int, int, int, int]
Known = dict[str, tuple[Signature, str]]
SETTLED_NS = 2_000_000_000  # a file changed more recently may change again unseen


@dataclass(frozen=True, slots=True)
class Sources:
    articles: tuple[SourceFile, ...]
    entities: tuple[SourceFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    known: Known = field(default_factory=dict)  # for the next build's `find_sources`
    # Articles reached through a link (in their own name or a folder's): a change to
    # one may show or hide another name for the same file, which only a walk sees.
    linked: frozenset[str] = frozenset()


def ignored(name: str) -> bool:
    """Hidden files, editors' backups and temporary files are never content."""
    return name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES) or name == "4913"


def find_sources(
    site: Path, config: Config, known: Mapping[str, tuple[Signature, str]] | None = None
) -> Sources:
    """Read every article and entity file of the site; collect problems instead of raising.

    An article file whose status is as `known` (the last build's `Sources.known`) says,
    and which has settled since, is not read again: its SourceFile has no text (None)
    and the digest it had; `read_source` reads it if its text is needed after all."""
    site = site.resolve()
    problems: list[Diagnostic] = []
    entity_root = (site / config.entity_dir).resolve()
    # Folders that hold other things than articles, even when inside an article folder.
    others = (config.output_dir, config.templates_dir, config.static_dir)
    elsewhere = tuple(
        str(folder) + os.sep for folder in [entity_root, *((site / d).resolve() for d in others)]
    )
    articles: list[SourceFile] = []
    seen: set[str] = set()  # real paths
    now = time.time_ns()
    found: Known = {}
    prefix = str(site) + os.sep
    linked: set[str] = set()
    for folder in config.article_dirs:
        if not (site / folder).is_dir() and config.article_dirs != DEFAULT_ARTICLE_DIRS:
            # named in site.toml: a typo there would build a site without its articles
            message = f"no folder '{folder}' (article_dirs): no articles are read from it"
            problems.append(Diagnostic("warning", CONFIG_FILE, None, message))
            continue
        listed: list[Diagnostic] = []
        walked = _walk_real(site / folder, site, listed)
        # What is in the registry, the output, templates or static files is not an
        # article, nor a problem of the articles' (the registry's walk reports its own).
        problems += (d for d in listed if not (prefix + d.path).startswith(elsewhere))
        # The names listed, as a file system that ignores case would find them too:
        # where this says an article has no sidecar, read_source finds none.
        present = {name.casefold() for name, _, _ in walked}
        for name, real, status in walked:
            if real in seen or real.startswith(elsewhere):
                continue
            if not name.lower().endswith(ARTICLE_SUFFIXES) or name.endswith(SIDECAR_SUFFIXES):
                continue
            seen.add(real)
            rel = name[len(prefix) :].replace(os.sep, "/") if name.startswith(prefix) else None
            rel = rel or _rel(Path(name), site)
            stem = name[: name.rfind(".")]
            plain = not any((stem + suffix).casefold() in present for suffix in SIDECAR_SUFFIXES)
            if status is None or real != name:
                linked.add(rel)
            if status is None:  # a link: what it points to
                try:
                    status = os.stat(name)
                except OSError:
                    status = None  # read_source says why
            settled = (
                status is not None
                and plain
                and now - max(status.st_mtime_ns, status.st_ctime_ns) > SETTLED_NS
                and status.st_size <= config.max_file_size
            )
            if settled:
                signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
                last = known.get(rel) if known else None
                if last is not None and last[0] == signature:
                    articles.append(SourceFile(rel, None, last[1], status.st_mtime))
                    found[rel] = last
                    continue
            before = len(problems)
            source = read_source(Path(name), site, config, problems, sidecars=not plain)
            if source is None:
                continue
            articles.append(source)
            if settled and len(problems) == before and source.mtime == status.st_mtime:
                found[rel] = (signature, source.digest)
    articles.sort(key=lambda s: s.path)
    entities = entity_sources(site, config, problems)
    return Sources(tuple(articles), entities, tuple(problems), found, frozenset(linked))


def refresh_sources(
    site: Path, config: Config, last: Sources, changed: Iterable[str]
) -> Sources | None:
    """`find_sources` without walking the site, when a watcher says what changed:
    the last build's sources with the changed files read again. None when a walk is
    needed after all: a file the last build did not have (new, or under another
    name), one that is gone or no longer a plain file, a sidecar, anything that is
    not an article. The registry is read again either way (it is small)."""
    site = site.resolve()
    prefix = str(site) + os.sep
    registry = _rel((site / config.entity_dir).resolve(), site) + "/"
    where = {source.path: n for n, source in enumerate(last.articles)}
    fresh: dict[str, SourceFile] = {}
    problems: list[Diagnostic] = []
    for name in changed:
        if not name.startswith(prefix):
            return None
        rel = name[len(prefix) :].replace(os.sep, "/")
        if rel in fresh or rel.startswith(registry):
            continue  # read once; entities are read below
        source = last.articles[where[rel]] if rel in where else None
        if source is None or source.sidecar_path is not None or rel in last.linked:
            return None
        try:
            status = os.lstat(name)
        except OSError:
            return None
        stem = name[: name.rfind(".")]
        if (
            not stat.S_ISREG(status.st_mode)
            or status.st_nlink > 1  # another name for it would have changed too
            or any(os.path.lexists(stem + suffix) for suffix in SIDECAR_SUFFIXES)
        ):
            return None
        found = read_source(Path(name), site, config, problems)
        if found is None:  # unreadable now: the walk reports it as it always does
            return None
        fresh[rel] = found
    articles = list(last.articles)
    for rel, source in fresh.items():
        articles[where[rel]] = source
    kept = tuple(
        d for d in last.diagnostics if d.path not in fresh and not d.path.startswith(registry)
    )
    entities = entity_sources(site, config, problems)
    known = {rel: value for rel, value in last.known.items() if rel not in fresh}
    return Sources(tuple(articles), entities, kept + tuple(problems), known, last.linked)


def entity_sources(
    site: Path, config: Config, problems: list[Diagnostic]
) -> tuple[SourceFile, ...]:
    """The registry's files, content/entities/**/*.md, in order."""
    site = site.resolve()
    entities = []
    for path in _walk(site / config.entity_dir, site, problems):
        if path.suffix.lower() in (".md", ".markdown"):
            source = read_source(path, site, config, problems)
            if source is not None:
                entities.append(source)
    return tuple(sorted(entities, key=lambda s: s.path))


def _walk(root: Path, site: Path, problems: list[Diagnostic]) -> list[Path]:
    """Files under root in sorted order, skipping ignored names and links out of the site."""
    return [Path(path) for path, _, _ in _walk_real(root, site, problems)]


def _walk_real(
    root: Path, site: Path, problems: list[Diagnostic]
) -> list[tuple[str, str, os.stat_result | None]]:
    """(file, its real path, its status if it is a plain file) under root in sorted
    order, as `_walk` finds them; paths as strings (an archive has many)."""
    if not root.is_dir():
        return []
    found: list[tuple[str, str, os.stat_result | None]] = []
    real = root.resolve()
    trusted = real == site or site in real.parents
    lexical = real == root.absolute()  # no link on the way: a plain file's path is real
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not ignored(d))
        for name in sorted(files):
            if ignored(name):
                continue
            path = os.path.join(folder, name)
            try:
                status = os.lstat(path)  # no link followed
                plain = trusted and stat.S_ISREG(status.st_mode)
            except OSError:
                plain = False  # said below
            if plain:
                found.append((path, path if lexical else os.path.realpath(path), status))
                continue
            problem = _unusable(Path(path), site)
            if problem:
                problems.append(
                    Diagnostic("warning", _rel(Path(path), site), None, f"skipped: {problem}")
                )
                continue
            found.append((path, os.path.realpath(path), None))
    return found


def _unusable(path: Path, site: Path) -> str | None:
    """Why a listed file cannot be content: a broken or looping link, a link out of the
    site, or something that is not a regular file (a pipe would block the build)."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "broken or looping link"
    if resolved != site and site not in resolved.parents:
        return "links outside the site"
    if not stat.S_ISREG(resolved.stat().st_mode):
        return "not a regular file"
    return None


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return path.as_posix()


def decode(data: bytes) -> str:
    """Bytes to text exactly as open(path, encoding="utf-8") reads them (universal newlines)."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(
    path: Path, site: Path, config: Config, problems: list[Diagnostic], sidecars: bool = True
) -> SourceFile | None:
    """One file as a SourceFile, or None with a diagnostic if it cannot be content.
    `sidecars=False`: the caller knows the file has none (a walk lists its folder)."""
    rel = _rel(path, site)
    read = _read_text(path, rel, config, problems)
    if read is None:
        return None
    text, mtime = read
    sidecar_text = sidecar_rel = None
    for suffix in SIDECAR_SUFFIXES if sidecars else ():
        sidecar = path.with_name(path.stem + suffix)
        # as the walk takes it: a link out of the site is skipped (and warned of)
        if sidecar.is_file() and _unusable(sidecar, site.resolve()) is None:
            found = _read_text(sidecar, _rel(sidecar, site), config, problems)
            sidecar_text = found[0] if found else None
            sidecar_rel = _rel(sidecar, site)
            break
    digest = hashlib.blake2b(
        (text + "\0" + (sidecar_text or "")).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()
    return SourceFile(rel, text, digest, mtime, sidecar_text, sidecar_rel)


class SourceChanged(Exception):
    """An article file changed while a build was drawing pages from it."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} changed while the site was being built from it: build again")
        self.path = path


class ArticleTexts:
    """An article's text, read again from its file by the process drawing its page.

    The archive a build holds keeps no article texts, only what its listings show and
    where its entities and quotes are (texts were a fifth of a 10,000-article
    build's memory). The file read again must be the one the archive was made from:
    its digest says so, and SourceChanged is raised if it is not."""

    def __init__(self, site: Path, config: Config, cache: DiskCache | None = None) -> None:
        self.site = site
        self.config = config
        self.cache = cache

    def __call__(self, article: Article) -> str:
        if article.text:
            return article.text  # kept: an article not made by a build
        found = read_source(self.site / article.path, self.site, self.config, [])
        if found is None or found.text is None or found.digest != article.digest:
            raise SourceChanged(article.path)
        return found.text

    def skeleton(self, article: Article) -> Skeleton | None:
        """The article's Markdown body rendered but for its marks, as the parse of this
        very text left it in the cache (`keep_skeleton`): its page need not parse the
        Markdown again (two fifths of the time of drawing it). None if not kept."""
        if self.cache is None or article.format != "markdown":
            return None
        kept = self.cache.get("body", skeleton_key(article, self.config))
        return kept if isinstance(kept, tuple) else None


def keep_skeleton(article: Article, config: Config, cache: DiskCache) -> Article:
    """The article without its body's skeleton, which goes to the cache."""
    if article.skeleton is None:
        return article
    cache.put("body", skeleton_key(article, config), article.skeleton)
    return replace(article, skeleton=None)


def skeleton_key(article: Article, config: Config) -> str:
    """Everything a body's skeleton is made from: the text, where the body starts,
    the Markdown settings and parser, the URL prefix."""
    return cache_key(
        article.digest,
        str(article.body_start),
        str(article.body_line),
        str(config.raw_html),
        config.base_path,
        markdown_it.__version__,
    )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: text with a NUL in every other byte."""
    if len(data) < 4 or b"\0" not in data[:64]:
        return False
    half = len(data) // 2
    return data[1::2].count(0) > half * 0.8 or data[0::2].count(0) > half * 0.8


def _read_text(
    path: Path, rel: str, config: Config, problems: list[Diagnostic]
) -> tuple[str, float] | None:
    """A file's text and modification time, or None with a diagnostic."""
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if status.st_size > config.max_file_size:
                problems.append(
                    Diagnostic(
                        "error",
                        rel,
                        None,
                        f"file is {status.st_size:,} bytes, over the limit of "
                        f"{config.max_file_size:,} (raise max_file_size in site.toml)",
                    )
                )
                return None
            data = stream.read()
    except FileNotFoundError:
        problems.append(Diagnostic("warning", rel, None, "deleted during the build; skipped"))
        return None
    except OSError as exc:
        problems.append(Diagnostic("error", rel, None, f"cannot read file: {exc.strerror or exc}"))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        problems.append(Diagnostic("error", rel, None, "file is UTF-16; save it as UTF-8"))
        return None
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        problems.append(Diagnostic("error", rel, line, "file contains NUL bytes (binary file?)"))
        return None
    try:
        return decode(data), status.st_mtime
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Diagnostic("error", rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        )
        return None


def static_files(site: Path, theme_dirs: list[Path], config: Config) -> dict[str, Path]:
    """Output path -> file: each theme's static/ under /static/, the site's static/ at the root.

    Earlier theme folders (the site's own templates/) win over later ones (the default theme).
    """
    problems: list[Diagnostic] = []
    files: dict[str, Path] = {}
    for folder in reversed(theme_dirs):
        root = folder / "static"
        for path in _walk(root, folder, problems):
            files["static/" + path.relative_to(root).as_posix()] = path
    root = site / config.static_dir
    for path in _walk(root, site.resolve(), problems):
        files[path.relative_to(root).as_posix()] = path
    return dict(sorted(files.items()))
