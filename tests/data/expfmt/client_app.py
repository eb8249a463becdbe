"""A stand-in for the monitored app: one metric of every prometheus_client type, served on
127.0.0.1:PORT until killed. Used by capture.sh to record the exposition corpus."""
import sys
import time

from prometheus_client import (CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary,
                               start_http_server)

reg = CollectorRegistry()

images = Counter("images_processed", "Images processed by the detector.", ["model", "source"], registry=reg)
images.labels("yolov8n", "cam-1").inc(42)
images.labels("yolov8n", 'path "C:\\cams\\2"\nline2').inc(3)  # needs every escape
images.labels("ssd", "cam-1").inc(7, exemplar={"trace_id": "4bf92f3577b34da6"})

queue = Gauge("queue_depth", "Frames waiting.\nSecond line with a backslash \\.", registry=reg)
queue.set(5)

latency = Histogram("inference_seconds", "Inference latency.", ["model"], unit="seconds",
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 1.0), registry=reg)
for v in (0.004, 0.02, 0.02, 0.07, 0.5, 3.0):
    latency.labels("yolov8n").observe(v)
latency.labels("ssd").observe(0.03, exemplar={"trace_id": "00f067aa0ba902b7"})

size = Summary("frame_bytes", "Frame size.", registry=reg)
size.observe(1024)
size.observe(2048)

build = Info("detector_build", "Build information.", registry=reg)
build.info({"version": "1.4.2", "commit": "abc123", "notes": "# not a comment"})

state = Enum("pipeline_state", "Pipeline state.", states=["starting", "running", "stopped"], registry=reg)
state.state("running")

start_http_server(int(sys.argv[1]), addr="127.0.0.1", registry=reg)
while True:
    time.sleep(3600)
