total 28
drwxr-s--- 2 oomlens adm  4096 Dec  3 07:19 .
drwxr-xr-x 3 root    root 4096 Dec  3 07:17 ..
-rw-r----- 1 oomlens adm  7906 Dec  3 07:18 20261203T071821Z-389577fb-000000000535.json
-rw-r----- 1 oomlens adm  8237 Dec  3 07:19 20261203T071913Z-389577fb-000000000571.json
