module whencebench

go 1.19
