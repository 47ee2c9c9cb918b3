# Cross build for AArch64 Linux with Debian's gcc-aarch64-linux-gnu; the
# programs it builds run here under qemu-aarch64-static (qemu-user-static),
# which CTest puts in front of every test command through
# CMAKE_CROSSCOMPILING_EMULATOR (tests/CMakeLists.txt wraps the CLI tools the
# test scripts call in the same way). The riscv64 guest programs are still
# built by the riscv64 cross compilers found on PATH.
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(SPLITVM_AARCH64_SYSROOT /usr/aarch64-linux-gnu)
# The sysroot, and / for multiarch arm64 packages (libfdt1:arm64, whose
# libfdt.so.1 the build links; the headers are the build host's libfdt-dev).
set(CMAKE_FIND_ROOT_PATH ${SPLITVM_AARCH64_SYSROOT} /)
# Programs (compilers, qemu, sh) from the build host; libraries and headers
# from the target's sysroot.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
find_program(SPLITVM_QEMU_AARCH64 qemu-aarch64-static REQUIRED)
# -L: the dynamic loader and shared libraries of the target come from the
# cross sysroot. -R: a 16 GiB guest address space that qemu reserves once;
# without it each machine's 256 GiB reservation (src/user/umem.c) costs
# qemu-user seconds to map and, with a few machines alive, stalls it, while
# with it the reservation fails and umem_init takes the largest that fits
# (8 GiB, then 4, 2, 1: three or four machines alive at once; tests/api runs
# fewer at once here). Larger -R sizes bring the stalls back.
set(CMAKE_CROSSCOMPILING_EMULATOR ${SPLITVM_QEMU_AARCH64} -R 16G -L ${SPLITVM_AARCH64_SYSROOT})
