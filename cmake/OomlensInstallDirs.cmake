# Install locations for the files other packages define the place of: systemd's unit,
# sysusers.d, tmpfiles.d and catalog directories and bash-completion's completions directory,
# taken from their pkg-config files and re-rooted at our prefix.
#
# Why re-rooted: systemd.pc spells its own prefix ("/usr"; on Debian 12 units go to
# ${rootprefix}/lib/systemd/system with rootprefix ""), so its variables as they are would send a
# -DCMAKE_INSTALL_PREFIX=/tmp/x install to /lib/systemd/system. Like systemd's own consumers we
# redefine prefix (and rootprefix) instead. For the prefix /usr the distribution's rootprefix is
# kept: Debian 12 ships units in /lib/systemd/system, not /usr/lib.
#
# A directory under the prefix is stored relative to it, as GNUInstallDirs does, so DESTDIR and
# CPack treat it like any other file; one outside (/lib/systemd/system and /etc for /usr) stays
# absolute. Each can be overridden on the command line (absolute, or relative to the prefix).
#
# Sets OOMLENS_<NAME>DIR (for install(DESTINATION)) and OOMLENS_FULL_<NAME>DIR (absolute, for
# messages and files that name the path).

# PATH made relative to the prefix when it lies below it.
function(oomlens_prefix_relative out path)
  set(prefix "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/+$" "" prefix "${prefix}")
  if(path STREQUAL prefix)
    set(path ".")
  elseif(prefix AND path MATCHES "^${prefix}/")
    string(LENGTH "${prefix}/" n)
    string(SUBSTRING "${path}" ${n} -1 path)
  elseif(NOT prefix AND path MATCHES "^/")
    string(SUBSTRING "${path}" 1 -1 path) # prefix "/"
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# oomlens_install_dir(NAME MODULE VARIABLE FALLBACK DOC [DEFINE var=value ...])
function(oomlens_install_dir name module variable fallback doc)
  cmake_parse_arguments(PARSE_ARGV 5 arg "" "" "DEFINE")
  # Build trees configured before this file cached pkg-config's absolute value as if the user
  # had chosen it: forget it.
  get_property(help CACHE ${name} PROPERTY HELPSTRING)
  if(help MATCHES "^(systemd system unit|sysusers.d|tmpfiles.d|journal catalog) directory$")
    unset(${name} CACHE)
  endif()
  set(${name} "" CACHE PATH "${doc} (empty: ${module}.pc's ${variable}, re-rooted at the prefix)")
  set(dir "${${name}}")
  if(dir STREQUAL "" AND PKG_CONFIG_EXECUTABLE)
    set(defines)
    foreach(d ${arg_DEFINE})
      list(APPEND defines "--define-variable=${d}")
    endforeach()
    execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} ${defines} --variable=${variable} ${module}
                    OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE rc ERROR_QUIET)
    if(NOT rc EQUAL 0)
      set(dir "")
    endif()
  endif()
  if(dir STREQUAL "")
    set(dir "${fallback}")
  endif()
  if(IS_ABSOLUTE "${dir}")
    oomlens_prefix_relative(dir "${dir}")
  endif()
  if(IS_ABSOLUTE "${dir}")
    set(full "${dir}")
  else()
    set(full "${CMAKE_INSTALL_PREFIX}/${dir}")
  endif()
  set(OOMLENS_${name} "${dir}" PARENT_SCOPE)
  set(OOMLENS_FULL_${name} "${full}" PARENT_SCOPE)
endfunction()

string(REGEX REPLACE "/+$" "" _oomlens_prefix "${CMAKE_INSTALL_PREFIX}")
set(_oomlens_systemd_defines "prefix=${_oomlens_prefix}")
if(NOT _oomlens_prefix STREQUAL "/usr")
  # Older systemd.pc (Debian 12) put units below rootprefix; newer ones have no such variable.
  list(APPEND _oomlens_systemd_defines "rootprefix=${_oomlens_prefix}" "root_prefix=${_oomlens_prefix}")
endif()
oomlens_install_dir(SYSTEMD_UNITDIR systemd systemdsystemunitdir lib/systemd/system
  "systemd system unit directory" DEFINE ${_oomlens_systemd_defines})
oomlens_install_dir(SYSUSERS_DIR systemd sysusersdir lib/sysusers.d
  "sysusers.d directory" DEFINE ${_oomlens_systemd_defines})
oomlens_install_dir(TMPFILES_DIR systemd tmpfilesdir lib/tmpfiles.d
  "tmpfiles.d directory" DEFINE ${_oomlens_systemd_defines})
oomlens_install_dir(CATALOG_DIR systemd catalogdir lib/systemd/catalog
  "journal catalog directory" DEFINE ${_oomlens_systemd_defines})
# bash-completion.pc spells datadir out ("/usr/share"), so that is redefined too.
oomlens_install_dir(BASH_COMPLETION_DIR bash-completion completionsdir
  "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" "bash completions directory"
  DEFINE "prefix=${_oomlens_prefix}" "datadir=${CMAKE_INSTALL_FULL_DATADIR}")
# GNUInstallDirs already maps the prefix /usr to /etc.
oomlens_prefix_relative(OOMLENS_SYSCONFDIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}")

message(STATUS "oomlens install dirs (prefix ${CMAKE_INSTALL_PREFIX}): units ${OOMLENS_FULL_SYSTEMD_UNITDIR}, "
               "sysusers.d ${OOMLENS_FULL_SYSUSERS_DIR}, tmpfiles.d ${OOMLENS_FULL_TMPFILES_DIR}, "
               "catalog ${OOMLENS_FULL_CATALOG_DIR}, completions ${OOMLENS_FULL_BASH_COMPLETION_DIR}, "
               "config ${CMAKE_INSTALL_FULL_SYSCONFDIR}/oomlens")

# The binaries and the unit name configure-time paths (ExecStart=, the config file), and for
# the prefix /usr some files go outside it: `cmake --install --prefix OTHER` would install a
# unit pointing at the wrong binary and, for /usr, still write /lib/systemd/system on the host.
# Stage with DESTDIR instead (or configure with the prefix wanted).
set(_oomlens_outside)
foreach(d SYSTEMD_UNITDIR SYSUSERS_DIR TMPFILES_DIR CATALOG_DIR BASH_COMPLETION_DIR)
  if(IS_ABSOLUTE "${OOMLENS_${d}}")
    list(APPEND _oomlens_outside "${OOMLENS_${d}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${OOMLENS_SYSCONFDIR}")
  list(APPEND _oomlens_outside "${OOMLENS_SYSCONFDIR}")
endif()
install(CODE "
  if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"${CMAKE_INSTALL_PREFIX}\")
    set(_msg \"oomlens was configured for the prefix ${CMAKE_INSTALL_PREFIX} (compiled-in paths and ExecStart= use it), not \${CMAKE_INSTALL_PREFIX}: reconfigure with -DCMAKE_INSTALL_PREFIX=\${CMAKE_INSTALL_PREFIX}, or stage with DESTDIR=...\")
    if(\"${_oomlens_outside}\" STREQUAL \"\")
      message(WARNING \"\${_msg}\")
    else()
      message(FATAL_ERROR \"\${_msg}; ${_oomlens_outside} lie outside the prefix and would be written as they are\")
    endif()
  endif()")
