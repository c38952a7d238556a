"""Where backups and exports go: S3-compatible object storage through boto3, or a local folder.

Keys always start with the tenant's prefix, `tenants/<schema>/`, so a bucket policy, a lifecycle
rule or a deletion can address one tenant.
"""

import shutil
import time
from pathlib import Path
from typing import Protocol

from django.conf import settings


class BackupStorageError(Exception):
    """The backup storage could not be reached or refused the request."""


class BackupStorage(Protocol):
    location: str

    def upload(self, *, path: Path, key: str) -> None: ...

    def download(self, *, key: str, path: Path) -> None: ...

    def keys(self, *, prefix: str) -> list[str]: ...

    def delete_prefix(self, *, prefix: str) -> int: ...

    def url(self, *, key: str, expires_seconds: int) -> str | None: ...


class LocalBackupStorage:
    """A folder (TENANT_BACKUP_LOCAL_DIR) standing in for a bucket when no S3 is configured."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.location = str(self.root)

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise BackupStorageError(f"key outside the storage: {key}")
        return path

    def upload(self, *, path: Path, key: str) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        except OSError as exc:
            raise BackupStorageError(f"cannot write {key}: {exc}") from exc

    def download(self, *, key: str, path: Path) -> None:
        try:
            shutil.copyfile(self._path(key), path)
        except OSError as exc:
            raise BackupStorageError(f"cannot read {key}: {exc}") from exc

    def keys(self, *, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.exists():
            return []
        return sorted(str(p.relative_to(self.root.resolve())) for p in base.rglob("*") if p.is_file())

    def delete_prefix(self, *, prefix: str) -> int:
        keys = self.keys(prefix=prefix)
        base = self._path(prefix)
        if base.exists():
            shutil.rmtree(base)
        return len(keys)

    def url(self, *, key: str, expires_seconds: int) -> str | None:
        return None


class S3BackupStorage:
    """A bucket of any S3-compatible service (AWS, MinIO, Ceph RGW, …) through boto3."""

    def __init__(
        self, *, bucket: str, endpoint_url: str, region: str, access_key: str, secret_key: str
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.location = f"s3://{bucket}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=Config(
                connect_timeout=5, read_timeout=60, retries={"max_attempts": 2, "mode": "standard"}
            ),
        )

    def _call(self, what: str, func, **kwargs):  # noqa: ANN001, ANN202
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return func(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise BackupStorageError(f"{what} failed on {self.location}: {exc}") from exc

    def upload(self, *, path: Path, key: str) -> None:
        self._call("upload", self.client.upload_file, Filename=str(path), Bucket=self.bucket, Key=key)

    def download(self, *, key: str, path: Path) -> None:
        self._call("download", self.client.download_file, Bucket=self.bucket, Key=key, Filename=str(path))

    def keys(self, *, prefix: str) -> list[str]:
        keys: list[str] = []
        token = None
        while True:
            kwargs = {"Bucket": self.bucket, "Prefix": prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call("list", self.client.list_objects_v2, **kwargs)
            keys += [item["Key"] for item in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return sorted(keys)
            token = page["NextContinuationToken"]

    def delete_prefix(self, *, prefix: str) -> int:
        keys = self.keys(prefix=prefix)
        for start in range(0, len(keys), 1000):
            chunk = [{"Key": key} for key in keys[start : start + 1000]]
            self._call("delete", self.client.delete_objects, Bucket=self.bucket, Delete={"Objects": chunk})
        return len(keys)

    def url(self, *, key: str, expires_seconds: int) -> str | None:
        return self._call(
            "presign",
            self.client.generate_presigned_url,
            ClientMethod="get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=expires_seconds,
        )


def backup_storage() -> BackupStorage:
    """The configured storage: S3 when TENANT_BACKUP_BUCKET is set, else the local folder."""
    if settings.TENANT_BACKUP_BUCKET:
        return S3BackupStorage(
            bucket=settings.TENANT_BACKUP_BUCKET,
            endpoint_url=settings.TENANT_BACKUP_S3_ENDPOINT_URL,
            region=settings.TENANT_BACKUP_S3_REGION,
            access_key=settings.TENANT_BACKUP_S3_ACCESS_KEY_ID,
            secret_key=settings.TENANT_BACKUP_S3_SECRET_ACCESS_KEY,
        )
    return LocalBackupStorage(settings.TENANT_BACKUP_LOCAL_DIR)


def with_retries(action, *, attempts: int, what: str, delay: float = 1.0):  # noqa: ANN001, ANN201
    """Run `action()`; retry a storage failure with backoff, then raise the last error."""
    for attempt in range(1, max(1, attempts) + 1):
        try:
            return action()
        except BackupStorageError:
            if attempt >= attempts:
                raise
            time.sleep(delay * 2 ** (attempt - 1))
    raise AssertionError(what)
