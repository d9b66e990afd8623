#!/usr/bin/env bash
# Captures what namespace discovery reads, from a real kernel, into Tests/Fixtures/namespaces:
# /proc/self/mountinfo with a named namespace and an nsfs bind mount whose path has a blank
# (the kernel escapes it as \040), and /proc/PID/cgroup of processes placed in cgroups named
# like a Docker scope and a Kubernetes pod. Usage (root): Tests/Fixtures/capture-namespaces.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)/namespaces
mkdir -p "$here"
name=nsfx$$
dir="/tmp/netscope ns $$"
root=/sys/fs/cgroup/systemd
docker=$root/system.slice/docker-4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8.scope
pod=$root/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice
cri=$pod/cri-containerd-aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66.scope
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    umount "$dir/held" 2>/dev/null || true
    rm -rf "$dir"
    ip netns del "$name" 2>/dev/null || true
    for d in "$cri" "$pod" "$root/kubepods.slice/kubepods-besteffort.slice" "$root/kubepods.slice" "$docker"; do rmdir "$d" 2>/dev/null || true; done
}
trap cleanup EXIT
ip netns add "$name"
unshare -n sleep 60 & pids+=($!)
unshare -n sleep 60 & pids+=($!)
sleep 0.2
mkdir -p "$dir" "$docker" "$cri"
touch "$dir/held"
mount --bind "/proc/${pids[0]}/ns/net" "$dir/held"
echo "${pids[0]}" > "$docker/cgroup.procs"
echo "${pids[1]}" > "$cri/cgroup.procs"
grep -E ' - (nsfs|proc|sysfs|devtmpfs) ' /proc/self/mountinfo > "$here/mountinfo"
cat "/proc/${pids[0]}/cgroup" > "$here/cgroup.docker"
cat "/proc/${pids[1]}/cgroup" > "$here/cgroup.pod"
cat /proc/self/cgroup > "$here/cgroup.host"
# What the tests expect: the inodes of the two namespaces in the capture.
{
    echo "named $name $(stat -L -c %i "/run/netns/$name")"
    echo "mount $dir/held $(stat -L -c %i "$dir/held")"
} > "$here/expected"
echo "captured into $here"
