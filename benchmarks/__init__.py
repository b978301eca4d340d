"""Benchmarks: ``make bench`` runs every ``benchmarks/<name>.py`` that has a ``run()``.

Speed and memory are reported as ratios against a plain baseline run in the same go, so the
figures compare across machines.
"""
