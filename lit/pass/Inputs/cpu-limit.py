#!/usr/bin/env python3
"""cpu-limit.py SECONDS CMD ARGS...: runs CMD with at most SECONDS of CPU
time (RLIMIT_CPU: the kernel kills it with SIGXCPU past that).  For tests
of work that once grew without bound: a bound of CPU time, not of wall
time, does not depend on how loaded the machine is, and its margin over
what the command takes now is wide (cxx-names-budget.ll)."""
import os
import resource
import sys

seconds = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
os.execvp(sys.argv[2], sys.argv[2:])
