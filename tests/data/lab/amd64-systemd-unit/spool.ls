total 28
drwxr-s--- 2 oomlens adm  4096 Dec  3 06:50 .
drwxr-xr-x 3 root    root 4096 Dec  3 06:48 ..
-rw-r----- 1 oomlens adm  7909 Dec  3 06:48 20261203T064857Z-4c6bc69e-000000000523.json
-rw-r----- 1 oomlens adm  8219 Dec  3 06:50 20261203T065008Z-4c6bc69e-000000000559.json
