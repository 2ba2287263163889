total 40
drwxr-s--- 2 oomlens oomlens 4096 Dec  3 07:42 .
drwxr-xr-x 3 root    root    4096 Dec  3 07:37 ..
-rw-r----- 1 oomlens oomlens 8457 Dec  3 07:38 20261203T073807Z-160eae82-000000000538.json
-rw-r----- 1 oomlens oomlens 8454 Dec  3 07:38 20261203T073854Z-160eae82-000000000583.json
-rw-r----- 1 oomlens oomlens 8146 Dec  3 07:42 20261203T074207Z-9a9dce94-000000000531.json
