"""A throwaway S3 endpoint for the tests: moto's server on loopback with one bucket, standing in for MinIO or S3
(boto3 talks to it as to any S3 endpoint)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from botocore.config import Config
from orphans import stops_with_us
from postgres import free_port
from support import BIN

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}


def client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(s3={"addressing_style": "path"}))


@contextmanager
def moto_s3(bucket: str = "xxgk") -> Iterator[str]:
    """The endpoint URL of a moto server holding an empty `bucket`; the server stops on exit."""
    port = free_port()
    server = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=stops_with_us())
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                client(endpoint).create_bucket(Bucket=bucket)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if server.poll() is not None:
                    raise RuntimeError("moto_server exited") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)
