#!/usr/bin/python3
"""A user's training script with the real prometheus_client, for watch's e2e tests.

Usage: user_train.py PORT KIND: serves its loss as KIND (counter: the wrong type, which
prometheus_client exports as training_loss_total; renamed: a gauge under another name; else the
catalog's gauge) and a validation mAP gauge on 127.0.0.1:PORT for two seconds, then exits 0.
"""
import sys, time
from prometheus_client import Counter, Gauge, start_http_server
port, kind = int(sys.argv[1]), sys.argv[2]
if kind == "counter":
    Counter("training_loss", "loss, exported with the wrong type").inc(0.5)
elif kind == "renamed":
    Gauge("train_loss", "loss under a name of its own").set(0.5)
else:
    Gauge("training_loss", "loss").set(0.5)
Gauge("validation_map", "mAP", ["model", "iou_threshold"]).labels("m", "0.5").set(0.8)
start_http_server(port, addr="127.0.0.1")
print("serving on", port, flush=True)
time.sleep(2)
