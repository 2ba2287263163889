total 36
drwxr-s--- 2 oomlens adm  4096 Dec  3 07:01 .
drwxr-xr-x 3 root    root 4096 Dec  3 06:55 ..
-rw-r----- 1 oomlens adm  7909 Dec  3 06:56 20261203T065621Z-61437a37-000000000538.json
-rw-r----- 1 oomlens adm  7917 Dec  3 06:57 20261203T065729Z-61437a37-000000000574.json
-rw-r----- 1 oomlens adm  8231 Dec  3 07:01 20261203T070126Z-e5d8e1e7-000000000536.json
