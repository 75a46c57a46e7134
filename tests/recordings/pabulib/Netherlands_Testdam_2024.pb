META
key;value
description;Synthetic test edition A
country;Netherlands
unit;Testdam
instance;2024
num_projects;2
num_votes;3
budget;5000
vote_type;approval
rule;greedy
date_begin;2024
date_end;2024
currency;EUR
PROJECTS
project_id;cost;votes;name;selected
1;3000;2;Trees in the park;1
2;2500;2;"Bike racks; station";0
VOTES
voter_id;vote
v1;1,2
v2;1
v3;2
