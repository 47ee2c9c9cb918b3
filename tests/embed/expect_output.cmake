# Run PROG -accel ENGINE GUEST; its stdout must equal the file EXPECTED and
# its exit status must be STATUS.
execute_process(COMMAND ${PROG} -accel ${ENGINE} ${GUEST}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ ${EXPECTED} want)
if(NOT rc EQUAL STATUS)
  message(FATAL_ERROR "exit status ${rc}, want ${STATUS}\nstderr: ${err}")
endif()
if(NOT out STREQUAL want)
  message(FATAL_ERROR "output differs\n--- got ---\n${out}--- want ---\n${want}")
endif()
message(STATUS "output and exit status ${rc} as expected")
