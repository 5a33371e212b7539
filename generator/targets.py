"""Targets: where `broadsheet publish` puts a verified build. A folder (synced), a git
branch (one commit per publish, the working tree untouched), an S3-compatible bucket
(only changed files uploaded)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.mediatypes import content_type, media_type
from generator.publish import PublishError, publishable_files, sync_folder

HASHED = re.compile(r"[0-9a-f]{8,}|pf_fragment|pf_index|pf_filter|pf_meta")
SHORT_CACHE = "public, max-age=300, must-revalidate"
LONG_CACHE = "public, max-age=31536000, immutable"
MEDIUM_CACHE = "public, max-age=3600"


@dataclass(slots=True)
class Deployment:
    target: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    note: str = ""


def deploy(
    output: Path, target: str, site: Path, cname: str, dry_run: bool, max_delete: int
) -> Deployment:
    """Deploy the built `output` to `target` ("DIR", "git:BRANCH", "s3://bucket/prefix")."""
    if target.startswith("git:"):
        return deploy_git(output, target[4:], site, cname, dry_run)
    if target.startswith("s3://"):
        return deploy_s3(output, target, dry_run, max_delete)
    if not target.strip():
        raise PublishError("no target: name a folder, git:BRANCH or s3://bucket/prefix")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):", target)
    if scheme:  # "S3://", "gs://", "Git:": a typo would publish to a folder so named
        raise PublishError(
            f"unknown kind of target {scheme.group(1)!r}: use a folder, git:BRANCH or "
            "s3://bucket/prefix (a folder whose name has a colon: write ./NAME)"
        )
    folder = Path(target)
    if not folder.is_absolute():
        folder = Path.cwd() / folder
    try:
        changed, stale = sync_folder(output, folder, dry_run)
    except OSError as exc:
        where = exc.filename or folder
        raise PublishError(f"cannot publish to {folder}: {where}: {exc.strerror or exc}") from None
    total = len(publishable_files(output))
    return Deployment(str(folder), changed, stale, total - len(changed))


# --- git ------------------------------------------------------------------------


def _git(repo: Path, *args: str, env: dict[str, str] | None = None, data: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=data,
        check=False,
    )
    if done.returncode != 0:
        raise PublishError(f"git {args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def _git_answer(repo: Path, *args: str) -> str | None:
    """What git prints for a question it may answer with a failure (no such ref, a
    name it refuses, no such setting): None then."""
    try:
        return _git(repo, *args)
    except PublishError:
        return None


def deploy_git(output: Path, branch: str, site: Path, cname: str, dry_run: bool) -> Deployment:
    """Commit the build as the next commit of `branch`, through a private index, so the
    user's checkout, index and current branch are never touched."""
    if (
        not re.fullmatch(r"[A-Za-z0-9._/-]+", branch)
        or ".." in branch
        or branch.startswith("-")
        or branch == "HEAD"
    ):
        raise PublishError(f"not a usable branch name: {branch!r}")
    repo = Path(_git(site, "rev-parse", "--show-toplevel"))
    if _git_answer(repo, "check-ref-format", "--branch", branch) is None:
        raise PublishError(f"not a usable branch name: {branch!r}")
    ref = f"refs/heads/{branch}"
    if _git_answer(repo, "symbolic-ref", "--quiet", "HEAD") == ref:
        raise PublishError(
            f"{branch} is the branch checked out in {repo}: publishing there would replace "
            "its files with the site's; publish to another branch (git:gh-pages)"
        )
    with tempfile.TemporaryDirectory(prefix="broadsheet-git-") as scratch:
        tree_dir = Path(scratch) / "tree"
        sync_folder(output, tree_dir, dry_run=False)
        (tree_dir / ".nojekyll").write_text("")
        if cname:
            (tree_dir / "CNAME").write_text(cname.strip() + "\n")
        (tree_dir / ".broadsheet-build").unlink(missing_ok=True)
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index"), "GIT_WORK_TREE": str(tree_dir)}
        _git(repo, "--work-tree", str(tree_dir), "add", "--all", "--force", ".", env=env)
        tree = _git(repo, "write-tree", env=env)
        parent = _git_answer(repo, "rev-parse", "--verify", "--quiet", ref) or ""
        files = _git(repo, "ls-tree", "-r", "--name-only", tree).splitlines()
        before = (
            set(_git(repo, "ls-tree", "-r", "--name-only", parent).splitlines())
            if parent
            else set()
        )
        changed = _git(repo, "diff", "--name-only", parent, tree).splitlines() if parent else files
        deployment = Deployment(
            f"git:{branch}", [f for f in changed if f in files], sorted(before - set(files))
        )
        deployment.unchanged = len(files) - len(deployment.uploaded)
        if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
            deployment.note = "nothing changed; no commit made"
            return deployment
        if dry_run:
            return deployment
        identity = _identity(repo)
        message = f"Publish {len(files)} files\n\nMade by broadsheet publish.\n"
        args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
        commit = _git(repo, *args, env=identity, data=message)
        _git(repo, "update-ref", ref, commit, *([parent] if parent else []))
        deployment.note = f"commit {commit[:12]} on {branch}"
    return deployment


def _identity(repo: Path) -> dict[str, str]:
    env = {}
    for key, variable, default in (
        ("user.name", "NAME", "Broadsheet"),
        ("user.email", "EMAIL", "broadsheet@localhost"),
    ):
        known = _git_answer(repo, "config", key)
        if not known and not os.environ.get(f"GIT_AUTHOR_{variable}"):
            env[f"GIT_AUTHOR_{variable}"] = env[f"GIT_COMMITTER_{variable}"] = default
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{epoch} +0000"
    return env


# --- S3 -------------------------------------------------------------------------


def cache_control(name: str) -> str:
    """Short for pages (they change with every article), long for content-hashed files."""
    base = name.rsplit("/", 1)[-1]
    if name.startswith("pagefind/") and HASHED.search(base):
        return LONG_CACHE
    if base.endswith((".html", ".xml", ".json", ".txt")) or name.startswith("pagefind/"):
        return SHORT_CACHE
    return MEDIUM_CACHE


def deploy_s3(output: Path, target: str, dry_run: bool, max_delete: int) -> Deployment:
    """Upload new and changed files (compared by MD5 with the bucket's ETags) and delete
    stale ones, refusing to delete more than `max_delete` objects."""
    try:
        import boto3  # an optional dependency: broadsheet[s3]
    except ImportError:
        raise PublishError("publishing to S3 needs boto3: pip install 'broadsheet[s3]'") from None
    bucket, _, prefix = target[len("s3://") :].partition("/")
    if not bucket:
        raise PublishError(f"no bucket in {target!r} (use s3://bucket/prefix)")
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    remote: dict[str, str] = {}
    try:
        client = boto3.client("s3", endpoint_url=os.environ.get("BROADSHEET_S3_ENDPOINT") or None)
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                remote[item["Key"]] = item["ETag"].strip('"')
    except Exception as exc:  # botocore raises many kinds; all mean "cannot list"
        raise PublishError(f"cannot list s3://{bucket}/{prefix}: {exc}") from None
    files = publishable_files(output)
    local = {prefix + name: path for name, path in files.items()}
    digests = {key: hashlib.md5(path.read_bytes()).hexdigest() for key, path in local.items()}
    upload = sorted(key for key, value in digests.items() if remote.get(key) != value)
    stale = sorted(set(remote) - set(local))
    if len(stale) > max_delete:
        raise PublishError(
            f"would delete {len(stale)} objects from s3://{bucket}/{prefix}, over the limit of "
            f"{max_delete}; check the target, or pass --max-delete {len(stale)}"
        )
    deployment = Deployment(target, upload, stale, len(local) - len(upload))
    if dry_run:
        return deployment
    try:
        for key in upload:
            name = key[len(prefix) :]
            client.put_object(
                Bucket=bucket,
                Key=key,
                Body=local[key].read_bytes(),
                ContentType=content_type(media_type(name)),
                CacheControl=cache_control(name),
            )
        for start in range(0, len(stale), 1000):
            chunk = [{"Key": key} for key in stale[start : start + 1000]]
            client.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
    except Exception as exc:
        raise PublishError(f"upload to s3://{bucket}/{prefix} failed: {exc}") from None
    return deployment
