"""What the benchmarks print about the machine they ran on."""
import os
import platform


def describe():
    """``<CPU model>, <n> CPUs, load <1-min load average>`` (Linux: /proc/cpuinfo)."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            model = next(line.split(":", 1)[1].strip() for line in info
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{model}, {os.cpu_count()} CPUs, load {load:.2f} at start"
