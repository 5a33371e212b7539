"""Command line: thin wrappers over the stages; diagnostics to stderr, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import Options, build
from generator.model import BuildResult, Diagnostic

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Build an annotated static archive of news articles."
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into its output folder")
    _site_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: public/)")
    build_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    build_cmd.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .broadsheet-cache/"
    )
    build_cmd.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    build_cmd.add_argument(
        "--timings", action="store_true", help="print the time each stage took"
    )
    build_cmd.add_argument("--jobs", "-j", type=int, default=0, help="processes (default: all)")
    build_cmd.add_argument("--base-url", help="override base_url from site.toml")
    build_cmd.set_defaults(run=_build)

    annotate_cmd = commands.add_parser(
        "annotate", help="show the entities and quotes found in article files"
    )
    annotate_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE")
    annotate_cmd.add_argument("--json", action="store_true", help="print one JSON object")
    annotate_cmd.set_defaults(run=_annotate)

    serve_cmd = commands.add_parser(
        "serve", help="preview the site, rebuilding and reloading on every save"
    )
    _site_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port; 0 picks a free one")
    serve_cmd.add_argument("--open", action="store_true", help="open it in a browser")
    serve_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    serve_cmd.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: public/)")
    serve_cmd.add_argument("--jobs", "-j", type=int, default=1, help="processes (default: 1)")
    serve_cmd.set_defaults(run=_serve)

    check_cmd = commands.add_parser(
        "check", help="make a production build and verify it, without deploying"
    )
    _site_options(check_cmd)
    check_cmd.add_argument("--base-url", help="override base_url from site.toml")
    check_cmd.add_argument("--no-search", action="store_true", help="skip the search index")
    check_cmd.set_defaults(run=_check)

    publish_cmd = commands.add_parser(
        "publish", help="production build, verified, then deployed to a folder, git or S3"
    )
    _site_options(publish_cmd)
    publish_cmd.add_argument(
        "--to", required=True, metavar="TARGET", help="a folder, git:BRANCH, or s3://bucket/prefix"
    )
    publish_cmd.add_argument("--base-url", help="override base_url from site.toml")
    publish_cmd.add_argument("--dry-run", action="store_true", help="show what would change")
    publish_cmd.add_argument(
        "--max-delete",
        type=int,
        default=1000,
        help="refuse to delete more files than this (default 1000)",
    )
    publish_cmd.add_argument("--no-search", action="store_true", help="skip the search index")
    publish_cmd.set_defaults(run=_publish)

    new_cmd = commands.add_parser("new", help="start a new article from a title")
    _site_options(new_cmd)
    new_cmd.add_argument("title")
    new_cmd.add_argument("--date", help="YYYY-MM-DD (default: today)")
    new_cmd.set_defaults(run=_new)
    return parser


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")


def _port(text: str) -> int:
    """A TCP port for argparse: 0 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in sorted(diagnostics, key=lambda d: (d.severity != "error", d.sort_key())):
        print(diagnostic, file=sys.stderr)


def _no_site(site: Path) -> bool:
    if site.is_dir():
        return False
    print(f"broadsheet: no site folder at {site}", file=sys.stderr)
    return True


def _build(args: argparse.Namespace) -> int:
    if _no_site(args.site):
        return EXIT_USAGE
    overrides = {"base_url": args.base_url} if args.base_url else None
    options = Options(
        out=args.out,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        jobs=args.jobs,
        overrides=overrides,
        cache=not args.no_cache,
    )
    result = build(args.site, options)
    return _finish(result, args, "built")


def _finish(result: BuildResult, args: argparse.Namespace, verb: str) -> int:
    report(result.diagnostics)
    failed = bool(result.errors) or (args.strict and bool(result.diagnostics))
    if failed:
        errors = len(result.errors)
        warnings = len(result.diagnostics) - errors
        print(
            f"build failed: {errors} error(s), {warnings} warning(s); output left unchanged",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    if result.scheduled and not args.quiet:
        print(
            f"{len(result.scheduled)} article(s) dated in the future left out "
            "(--future to include them)",
            file=sys.stderr,
        )
    if not args.quiet:
        print(f"{verb} {result.pages} files in {result.seconds:.2f} s")
    if getattr(args, "timings", False):
        print(f"{'stage':<10} {'seconds':>8} {'peak MB':>8}")
        for stage, (seconds, peak) in result.timings.items():
            print(f"{stage:<10} {seconds:8.3f} {peak:8.0f}")
    return EXIT_OK


def _annotate(args: argparse.Namespace) -> int:
    from generator.review import annotate_files, print_review

    articles, problems = annotate_files(args.files)
    report(problems)
    if args.json:
        json.dump({"articles": articles}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_review(articles)
    return EXIT_ERRORS if any(p.severity == "error" for p in problems) else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from generator.preview import preview

    if _no_site(args.site):
        return EXIT_USAGE
    options = Options(out=args.out, drafts=args.drafts, future=args.future, jobs=args.jobs)
    return preview(args.site, args.host, args.port, args.open, options)


def _check(args: argparse.Namespace) -> int:
    from generator.publish import production

    if _no_site(args.site):
        return EXIT_USAGE
    with production(args.site, args.base_url, search=not args.no_search) as built:
        report(built.result.diagnostics + built.problems)
        if not built.ok:
            print("check failed", file=sys.stderr)
            return EXIT_ERRORS
        files = sum(1 for p in built.output.rglob("*") if p.is_file())
        print(f"checked {files} files: every link resolves, feeds, sitemap and JSON-LD are valid")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from generator.publish import PublishError, production
    from generator.targets import deploy

    if _no_site(args.site):
        return EXIT_USAGE
    with production(args.site, args.base_url, search=not args.no_search) as built:
        report(built.result.diagnostics + built.problems)
        if not built.ok:
            print(
                "publish stopped: the build or its checks failed; nothing was deployed",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        try:
            done = deploy(
                built.output, args.to, args.site, built.config.cname, args.dry_run, args.max_delete
            )
        except PublishError as exc:
            print(f"broadsheet publish: {exc}", file=sys.stderr)
            return EXIT_ERRORS
    verb = "would upload" if args.dry_run else "uploaded"
    if args.dry_run:
        for name in done.uploaded:
            print(f"upload {name}")
        for name in done.deleted:
            print(f"delete {name}")
    note = f" ({done.note})" if done.note else ""
    print(
        f"{done.target}: {verb} {len(done.uploaded)}, "
        f"{'would delete' if args.dry_run else 'deleted'} {len(done.deleted)}, "
        f"unchanged {done.unchanged}{note}"
    )
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from generator.scaffold import new_article

    try:
        path = new_article(args.site, args.title, args.date)
    except ValueError as exc:
        print(f"broadsheet new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
