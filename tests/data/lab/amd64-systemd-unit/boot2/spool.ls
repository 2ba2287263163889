total 32
drwxr-s--- 2 oomlens oomlens 4096 Dec  3 08:20 .
drwxr-xr-x 3 root    root    4096 Dec  3 08:17 ..
-rw-r----- 1 oomlens oomlens 8158 Dec  3 08:17 20261203T081748Z-ebfd79ca-000000000527.json
-rw-r----- 1 oomlens oomlens 8147 Dec  3 08:18 20261203T081819Z-ebfd79ca-000000000563.json
-rw-r----- 1 oomlens oomlens 8146 Dec  3 08:20 20261203T082016Z-7bdb3cfd-000000000522.json
