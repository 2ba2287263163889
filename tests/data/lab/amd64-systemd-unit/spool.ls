total 24
drwxr-s--- 2 oomlens oomlens 4096 Dec  3 08:09 .
drwxr-xr-x 3 root    root    4096 Dec  3 08:07 ..
-rw-r----- 1 oomlens oomlens 8147 Dec  3 08:08 20261203T080834Z-63d9e939-000000000529.json
-rw-r----- 1 oomlens oomlens 8144 Dec  3 08:09 20261203T080923Z-63d9e939-000000000565.json
