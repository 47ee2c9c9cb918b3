# Runs one test program and passes when its exit status equals EXPECT.
# cmake -DCMD="prog;args" -DEXPECT=N -P expect_exit.cmake
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc TIMEOUT 30)
if(NOT "${rc}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT}")
endif()
