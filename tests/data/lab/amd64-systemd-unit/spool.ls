total 32
drwxr-s--- 2 oomlens oomlens 4096 Dec  3 07:38 .
drwxr-xr-x 3 root    root    4096 Dec  3 07:37 ..
-rw-r----- 1 oomlens oomlens 8457 Dec  3 07:38 20261203T073807Z-160eae82-000000000538.json
-rw-r----- 1 oomlens oomlens 8454 Dec  3 07:38 20261203T073854Z-160eae82-000000000583.json
